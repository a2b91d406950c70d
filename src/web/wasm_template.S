/* The default template and its prebuilt image for the WebAssembly build
 * (src/checklist/default_template.S and default_image.S in the assembler
 * dialect of wasm: sections named per symbol, sizes given). */
    .section .rodata.sk_default_template_xml,"",@
    .globl sk_default_template_xml
    .globl sk_default_template_end
    .p2align 4
sk_default_template_xml:
    .incbin SK_TEMPLATE_FILE
sk_default_template_end:
    .int8 0
    .size sk_default_template_xml, sk_default_template_end - sk_default_template_xml
    .size sk_default_template_end, 1

/* The default template's XML for the WebAssembly build: what
 * src/checklist/default_template.S does, in wasm's assembler dialect
 * (a section per symbol, sizes given).  The built-in template itself comes
 * from the generated tables (build/gen/default_tables.c); the XML is here
 * because src/checklist/template.c refers to it (sk_template_default_xml). */
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

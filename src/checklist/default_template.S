/* The default checklist template, embedded so that sechk works from any folder. */
    .section .rodata
    .global sk_default_template_xml
    .global sk_default_template_end
    .balign 16
sk_default_template_xml:
    .incbin SK_TEMPLATE_FILE
sk_default_template_end:
    .byte 0
    .section .note.GNU-stack,"",@progbits

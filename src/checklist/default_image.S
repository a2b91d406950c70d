/* The default template prebuilt at build time (tools/mkimage.c): loaded with
 * one copy and a relocation pass (sk_template_load_default). */
    .section .rodata
    .global sk_default_template_image
    .global sk_default_template_image_end
    .balign 16
sk_default_template_image:
    .incbin SK_IMAGE_FILE
sk_default_template_image_end:
    .byte 0
    .section .note.GNU-stack,"",@progbits

/* sechk — what lies over a sheet's cells: comments, check box controls, shapes.
 *
 * Vendors answer in ways that are not cell text: a comment (メモ, or a
 * threaded コメント) on the answer cell, a form-control check box (「開発」
 * タブのチェックボックス) laid over it with a caption such as 適合, an ellipse
 * drawn around the chosen option (○で囲む), a text box, a picture.  sechk
 * reads them so that none is ignored silently:
 *
 *  - notes: xl/commentsN.xml (<comment ref>) and xl/threadedComments/threadedCommentN.xml
 *    (<threadedComment ref>), related from the sheet;
 *  - check boxes: the legacy VML drawing of the sheet (x:ClientData
 *    ObjectType="Checkbox" or "Radio", x:Checked, x:Anchor, the caption in
 *    v:textbox).  Excel's VML is not well-formed XML (an unclosed <br>), so
 *    it is scanned shape by shape with a tolerant, bounded scanner; the
 *    ctrlProps parts (formControlPr checked="Checked") tell the state too:
 *    when the sheet relates to any, its <controls> (shapeId, r:id) are read
 *    to find which box each one is, and a box either source calls checked
 *    is checked;
 *  - shapes: the DrawingML drawing of the sheet (xdr:twoCellAnchor and
 *    xdr:oneCellAnchor with sp, pic, grpSp, graphicFrame, cxnSp); the copies
 *    of form controls Excel keeps there (a14:compatExt) are left to the VML.
 *
 * Every part is read within the book's limits, and a sheet may carry at
 * most SK_MAX_OVERLAYS of them (a fixed limit: SK_ERR_LIMIT beyond).
 *
 * Ownership: sk_overlays_read fills out; free with sk_overlays_free.
 */
#ifndef SECHK_OVERLAY_H
#define SECHK_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "sechk/book.h"
#include "sechk/error.h"

enum { SK_MAX_OVERLAYS = 10000, SK_MAX_OVERLAY_TEXT = 32767 * 3 };

typedef enum sk_overlay_kind {
    SK_OVERLAY_NOTE = 0, /* a comment (note or threaded comment) */
    SK_OVERLAY_CHECKBOX, /* a form-control check box or option button */
    SK_OVERLAY_SHAPE     /* a shape, text box, picture, chart … */
} sk_overlay_kind;

typedef struct sk_overlay {
    sk_overlay_kind kind;
    sk_range at;       /* the cells it covers, 1-based (a note: its cell) */
    bool checked;      /* a check box's state */
    bool threaded;     /* a threaded comment (or the note Excel keeps as its copy) */
    bool legacy_copy;  /* that note: dropped when the threaded comment itself is there */
    char shape[24];    /* SHAPE: "ellipse", "rect", "textbox", "picture", "group", "chart",
                          "connector", "control", or "shape" */
    char *text;        /* note text, check box caption, shape text ("" if none) */
    char *author;      /* a note's author ("" if unknown) */
    unsigned shape_id; /* a VML shape's number (_x0000_s1025 is 1025), or 0 */
} sk_overlay;

typedef struct sk_overlays {
    sk_overlay *v;
    size_t n, cap;
} sk_overlays;

/* Reads what lies over sheet i into out (appended; out zeroed first by the
 * caller).  A sheet without such parts gives none. */
sk_error sk_overlays_read(sk_book *b, size_t i, sk_overlays *out, sk_diag *d);

/* Frees the overlays and zeroes out (NULL is fine). */
void sk_overlays_free(sk_overlays *o);

/* True if the overlay covers the cell (row, col). */
bool sk_overlay_covers(const sk_overlay *o, uint32_t row, uint32_t col);

/* Scans a VML drawing's text (for tests: the scanner without the zip);
 * appends its check boxes to out. */
sk_error sk_overlays_scan_vml(const char *vml, size_t len, sk_overlays *out, sk_diag *d);

#endif

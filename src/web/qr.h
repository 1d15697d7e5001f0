#ifndef PP_WEB_QR_H
#define PP_WEB_QR_H

/**
 * QR code of @payload ("PASSCULTURE:v3;TOKEN:ABC234") as an inline SVG document drawn with
 * libqrencode: one path of unit squares, a 4-module quiet zone, scalable, with a title for
 * screen readers (@title goes in as is: plain text only). malloc'd string the caller frees;
 * NULL when the payload cannot be encoded.
 */
char *pp_qr_svg(const char *payload, const char *title);

#endif

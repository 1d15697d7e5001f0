#ifndef PP_CORE_MONEY_H
#define PP_CORE_MONEY_H

#include <stdbool.h>
#include <stdint.h>

/** Money is integer euro cents everywhere; these write and read it the French way. */

/** Room for any amount: 20 digits, 6 thin spaces, sign, cents and " €". */
#define PP_MONEY_LEN 80

/** "12,00 €", "1 234,50 €", "-3,20 €" into @buf. */
void pp_money_format(int64_t cents, char buf[PP_MONEY_LEN]);

/** "Gratuit" for 0, else as pp_money_format(). */
void pp_money_format_price(int64_t cents, char buf[PP_MONEY_LEN]);

/**
 * Parses what a person types as euros: "12", "12,5", "12.50", "12,50 €", "0", "gratuit"
 * → cents. At most two decimals, at most 1,000,000 €. Returns false otherwise.
 */
bool pp_money_parse(const char *s, int64_t *cents);

#endif

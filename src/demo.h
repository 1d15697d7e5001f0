#ifndef PP_DEMO_H
#define PP_DEMO_H

/**
 * Creates a fresh demo database at @url (an existing SQLite file is replaced): a museum of a
 * local authority, a venue without SIRET, a pending join request, a structure awaiting
 * validation, another structure, an admin. *banner receives the logins to print (malloc'd).
 * Returns 0, or 1 after printing the reason.
 */
int pp_demo_create(const char *url, char **banner);

#endif

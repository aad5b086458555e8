// The SQLite C library the operating system ships (libsqlite3-dev on Debian and Ubuntu), for the
// run store in Sources/Troupe/Store. No Swift package: the system library is linked directly.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type csqlite_static(void) { return SQLITE_STATIC; }

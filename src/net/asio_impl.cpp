// Asio and Beast, compiled once for the whole program (separate
// compilation, as Beast's own tests do): every other file includes only
// their declarations, which keeps a change to one handler a one-file rebuild.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>

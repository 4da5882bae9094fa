//! kgx placeholder

//! origanctl library.

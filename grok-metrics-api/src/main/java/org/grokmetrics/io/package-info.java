/**
 * Reading and writing weights in the safetensors format (the format PyTorch and Hugging Face users
 * export): an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and
 * byte range, then the raw little-endian data.
 */
package org.grokmetrics.io;

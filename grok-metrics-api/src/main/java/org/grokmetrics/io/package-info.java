/**
 * Reading and writing weights in the safetensors format (the format PyTorch and Hugging Face users
 * export): an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and
 * byte range, then the raw little-endian data.
 *
 * <p>{@link org.grokmetrics.io.SafeTensors} is the facade (whole-file reads, writing, escaping names for
 * printing); {@link org.grokmetrics.io.SafeTensorsHeader} holds the format's rules as the reference
 * implementation validates them; {@link org.grokmetrics.io.SafeTensorsFile} streams tensors from an open
 * file with positioned reads; {@link org.grokmetrics.io.SafeTensorsDtype} defines the dtypes and their
 * conversions. See docs/safetensors.md.
 */
package org.grokmetrics.io;

/**
 * The GAHP wire codec: {@link org.azuregahp.domain.codec.GahpCodec} escapes, splits and joins
 * arguments; {@link org.azuregahp.domain.codec.LineFramer} cuts raw bytes into lines (UTF-8,
 * bad bytes kept as lone surrogates, with a length limit). Total: nothing here throws on any input.
 */
package org.azuregahp.domain.codec;

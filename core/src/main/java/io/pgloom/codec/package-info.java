/** The codec SPI: how users map PostgreSQL types to Java types of their own. */
package io.pgloom.codec;

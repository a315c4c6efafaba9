package io.pgloom.it.types;

import io.pgloom.internal.types.TypeRegistry;

/** A registry of built-in codecs, for parsing the server's text output the way pgloom does. */
final class TestTypes {

    private static final TypeRegistry REGISTRY = new TypeRegistry(null);

    private TestTypes() {
    }

    static TypeRegistry registry() {
        return REGISTRY;
    }
}

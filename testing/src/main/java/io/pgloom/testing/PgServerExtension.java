package io.pgloom.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands {@link PgServer#shared()} to every test, constructor or
 * lifecycle method parameter of type {@link PgServer}.
 *
 * <pre>{@code
 * @ExtendWith(PgServerExtension.class)        // or @PgTest
 * class UsersTest {
 *     @Test
 *     void insert(PgServer server) {
 *         try (PgConnection conn = PgConnection.connect(server.uri())) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe; the server is started on first use and lives until the JVM ends.
 */
public final class PgServerExtension implements ParameterResolver {

    /** Made by JUnit. */
    public PgServerExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PgServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        try {
            return PgServer.shared();
        } catch (PgServerException e) {
            throw new ParameterResolutionException("no PostgreSQL server for " + context.getDisplayName()
                    + ": " + e.getMessage(), e);
        }
    }
}

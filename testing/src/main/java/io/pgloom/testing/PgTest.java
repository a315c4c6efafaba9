package io.pgloom.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) that takes the shared {@link PgServer} as a parameter: short
 * for {@code @ExtendWith(PgServerExtension.class)}.
 *
 * <pre>{@code
 * @PgTest
 * class UsersTest {
 *     @Test
 *     void insert(PgServer server) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PgServerExtension.class)
public @interface PgTest {
}

package io.pgloom.examples;

import io.pgloom.testing.PgServer;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceConfiguration;

import java.util.List;

/**
 * The usage guide's SQLModel/SQLAlchemy example in Java: a JPA entity saved in a transaction,
 * then queried, with Hibernate running on pgloom through its JDBC driver. Only the URL says
 * which driver: {@code jdbc:pgloom://...}, as {@code postgresql+asyncpg://...} does for SQLAlchemy.
 *
 * <pre>
 * ./mvnw -B -q -pl examples -am compile exec:java -Ddemo.main=io.pgloom.examples.JpaExample
 * ./mvnw -B -q -pl examples -am compile exec:java -Ddemo.main=io.pgloom.examples.JpaExample \
 *     -Dexec.args="jdbc:pgloom://app:secret@localhost:5432/shop"     # a server of your own
 * </pre>
 *
 * Without an argument it starts a throwaway PostgreSQL server (pgloom-testing) and stops it at the end.
 */
public final class JpaExample {

    /** SQLModel's {@code class Hero(SQLModel, table=True)}. */
    @Entity(name = "Hero")
    public static class Hero {
        @Id
        @GeneratedValue
        Long id;
        String name;
        String secretName;
        Integer age;

        public Hero() {
        }

        Hero(String name, String secretName, Integer age) {
            this.name = name;
            this.secretName = secretName;
            this.age = age;
        }

        @Override
        public String toString() {
            return "Hero(id=" + id + ", name=" + name + ", secretName=" + secretName + ", age=" + age + ")";
        }
    }

    private JpaExample() {
    }

    public static void main(String[] args) {
        PgServer embedded = null;
        String url;
        if (args.length > 0) {
            url = args[0];
        } else {
            embedded = PgServer.builder().build().start();
            String uri = embedded.uri();
            url = "jdbc:pgloom:" + uri.substring(uri.indexOf("//"));
        }
        try {
            List<Hero> found = run(url);
            if (found.size() != 1 || !found.get(0).secretName.equals("Dive Wilson")) {
                System.err.println("unexpected result: " + found);
                System.exit(1);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Saves three heroes in one transaction, then selects one by name, as the guide does. */
    static List<Hero> run(String url) {
        try (EntityManagerFactory emf = new PersistenceConfiguration("heroes")
                .managedClass(Hero.class)
                .property(PersistenceConfiguration.JDBC_URL, url)
                .property(PersistenceConfiguration.SCHEMAGEN_DATABASE_ACTION, "drop-and-create")
                .createEntityManagerFactory()) {

            emf.runInTransaction(em -> {
                em.persist(new Hero("Deadpond", "Dive Wilson", null));
                em.persist(new Hero("Spider-Boy", "Pedro Parqueador", null));
                em.persist(new Hero("Rusty-Man", "Tommy Sharp", 48));
            });

            List<Hero> heroes = emf.callInTransaction(em -> em
                    .createQuery("select h from Hero h where h.name = :name", Hero.class)
                    .setParameter("name", "Deadpond")
                    .getResultList());
            heroes.forEach(System.out::println);
            return heroes;
        }
    }
}

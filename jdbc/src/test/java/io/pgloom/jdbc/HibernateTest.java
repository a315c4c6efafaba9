package io.pgloom.jdbc;

import io.pgloom.ConnectOptions;
import io.pgloom.pool.PgPool;
import io.pgloom.pool.PoolOptions;
import io.pgloom.testing.PgServer;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hibernate ORM booted from nothing but a {@code jdbc:pgloom:} URL (DriverManager finds the
 * driver; the dialect comes from the database metadata), one SessionFactory for the class.
 */
class HibernateTest {

    public enum Status { ACTIVE, RETIRED }

    @Entity(name = "Author")
    @Table(name = "hb_author")
    public static class Author {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        @Column(nullable = false, unique = true)
        String name;
        LocalDate born;
        Instant createdAt;
        LocalDateTime updatedAt;
        UUID ref;
        BigDecimal rating;
        boolean active;
        @Enumerated(EnumType.STRING)
        Status status;
        @Version
        int version;

        public Author() {
        }

        Author(String name) {
            this.name = name;
        }
    }

    @Entity(name = "Book")
    @Table(name = "hb_book")
    public static class Book {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE)
        Long id;
        String title;
        int pages;
        @ManyToOne(fetch = FetchType.LAZY, optional = false)
        Author author;

        public Book() {
        }

        Book(String title, int pages, Author author) {
            this.title = title;
            this.pages = pages;
            this.author = author;
        }
    }

    private static SessionFactory sessions;

    @BeforeAll
    static void boot() {
        sessions = new Configuration()
                .addAnnotatedClass(Author.class)
                .addAnnotatedClass(Book.class)
                .setProperty("hibernate.connection.url", TestDb.url())
                .setProperty("hibernate.hbm2ddl.auto", "create-drop")
                .setProperty("hibernate.jdbc.batch_size", "20")
                .setProperty("hibernate.order_inserts", "true")
                .buildSessionFactory();
    }

    @AfterAll
    static void shutdown() {
        if (sessions != null) {
            sessions.close();
        }
    }

    @Test
    void theDialectIsPostgresFromTheMetadata() {
        var dialect = sessions.unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class).getJdbcServices().getDialect();
        assertThat(dialect).isInstanceOf(org.hibernate.dialect.PostgreSQLDialect.class);
        assertThat(dialect.getVersion().getMajor()).isEqualTo(TestDb.majorVersion());
    }

    @Test
    void persistAndFindWithGeneratedIdsAndEveryColumnType() {
        Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID ref = UUID.randomUUID();
        Long id = sessions.fromTransaction(s -> {
            Author a = new Author("Ursula");
            a.born = LocalDate.of(1929, 10, 21);
            a.createdAt = created;
            a.updatedAt = LocalDateTime.of(2024, 2, 29, 13, 45, 1, 123_456_000);
            a.ref = ref;
            a.rating = new BigDecimal("4.75");
            a.active = true;
            a.status = Status.RETIRED;
            s.persist(a);
            s.persist(new Book("The Dispossessed", 387, a));
            s.persist(new Book("The Left Hand of Darkness", 304, a));
            return a.id;
        });
        assertThat(id).isNotNull().isPositive();
        sessions.inSession(s -> {
            Author a = s.find(Author.class, id);
            assertThat(a.name).isEqualTo("Ursula");
            assertThat(a.born).isEqualTo(LocalDate.of(1929, 10, 21));
            assertThat(a.createdAt).isEqualTo(created);
            assertThat(a.updatedAt).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45, 1, 123_456_000));
            assertThat(a.ref).isEqualTo(ref);
            assertThat(a.rating).isEqualByComparingTo("4.75");
            assertThat(a.active).isTrue();
            assertThat(a.status).isEqualTo(Status.RETIRED);
            assertThat(a.version).isZero();
        });
    }

    @Test
    void onAPoolsDataSourceReadsOutsideATransactionHoldNoConnection() {
        try (PgPool pool = PgPool.create(PoolOptions.builder()
                .connectOptions(ConnectOptions.fromUri(PgServer.shared().uri())).minSize(0).maxSize(2).build());
             SessionFactory pooled = configuredWith(PgloomDataSource.of(pool)).buildSessionFactory()) {
            Long id = pooled.fromTransaction(s -> {
                Author a = new Author("Octavia E. Butler");
                s.persist(a);
                s.persist(new Book("Kindred", 264, a));
                return a.id;
            });
            pooled.inSession(s -> {
                // no transaction: Hibernate runs these in auto-commit, on the pool's shared connections
                Author a = s.find(Author.class, id);
                assertThat(a.name).isEqualTo("Octavia E. Butler");
                List<String> titles = s.createQuery("select b.title from Book b where b.author.id = :id", String.class)
                        .setParameter("id", id).getResultList();
                assertThat(titles).containsExactly("Kindred");
                assertThat(pool.stats().inUse()).as("the session's JDBC connection holds none of the pool's").isZero();
            });
            pooled.inTransaction(s -> s.find(Author.class, id).rating = new BigDecimal("5.00"));
            BigDecimal rating = pooled.fromSession(s -> s.find(Author.class, id).rating);
            assertThat(rating).isEqualByComparingTo("5.00");
        }
    }

    private static Configuration configuredWith(javax.sql.DataSource ds) {
        Configuration cfg = new Configuration().addAnnotatedClass(Author.class).addAnnotatedClass(Book.class);
        cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds);
        return cfg;
    }

    @Test
    void jpqlCriteriaAndPaging() {
        sessions.inTransaction(s -> {
            Author a = new Author("Iain");
            s.persist(a);
            for (int i = 1; i <= 30; i++) {      // batched: hibernate.jdbc.batch_size
                s.persist(new Book("Culture " + i, 100 + i, a));
            }
        });
        sessions.inSession(s -> {
            List<Book> page = s.createSelectionQuery(
                            "from Book b join fetch b.author a where a.name = :name and b.pages > :min order by b.pages", Book.class)
                    .setParameter("name", "Iain").setParameter("min", 110)
                    .setFirstResult(5).setMaxResults(3).getResultList();
            assertThat(page).extracting(b -> b.pages).containsExactly(116, 117, 118);
            assertThat(page.get(0).author.name).isEqualTo("Iain");

            Long count = s.createSelectionQuery("select count(b) from Book b where b.title like :t", Long.class)
                    .setParameter("t", "Culture 1%").getSingleResult();
            assertThat(count).isEqualTo(11L);      // 1, 10..19

            CriteriaBuilder cb = s.getCriteriaBuilder();
            CriteriaQuery<Book> q = cb.createQuery(Book.class);
            Root<Book> b = q.from(Book.class);
            q.select(b).where(cb.between(b.get("pages"), 128, 130)).orderBy(cb.desc(b.get("pages")));
            assertThat(s.createQuery(q).getResultList()).extracting(x -> x.title)
                    .containsExactly("Culture 30", "Culture 29", "Culture 28");

            Object[] stats = s.createSelectionQuery("select min(b.pages), max(b.pages), avg(b.pages) from Book b"
                    + " where b.author.name = 'Iain'", Object[].class).getSingleResult();
            assertThat(stats[0]).isEqualTo(101);
            assertThat(stats[1]).isEqualTo(130);
            assertThat((Double) stats[2]).isEqualTo(115.5);
        });
        sessions.inTransaction(s -> assertThat(s.createMutationQuery("update Book b set b.pages = b.pages + 1"
                + " where b.title like 'Culture 2%'").executeUpdate()).isEqualTo(11));
    }

    @Test
    void optimisticLockingRejectsAStaleUpdate() {
        Long id = sessions.fromTransaction(s -> {
            Author a = new Author("Octavia");
            s.persist(a);
            return a.id;
        });
        var first = sessions.openSession();
        var second = sessions.openSession();
        try {
            first.beginTransaction();
            Author mine = first.find(Author.class, id);
            second.beginTransaction();
            Author theirs = second.find(Author.class, id);
            theirs.rating = BigDecimal.ONE;
            second.getTransaction().commit();

            mine.rating = BigDecimal.TEN;
            assertThatThrownBy(() -> first.getTransaction().commit())
                    .satisfies(e -> assertThat(e).isInstanceOfAny(OptimisticLockException.class,
                            org.hibernate.StaleStateException.class, jakarta.persistence.RollbackException.class));
        } finally {
            first.close();
            second.close();
        }
        sessions.inSession(s -> {
            Author a = s.find(Author.class, id);
            assertThat(a.rating).isEqualByComparingTo("1");
            assertThat(a.version).isEqualTo(1);
        });
    }

    @Test
    void constraintViolationsAreTranslated() {
        sessions.inTransaction(s -> s.persist(new Author("Unique")));
        assertThatThrownBy(() -> sessions.inTransaction(s -> {
            s.persist(new Author("Unique"));
            s.flush();
        })).isInstanceOfSatisfying(ConstraintViolationException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("23505");
            assertThat(e.getConstraintName()).isNotBlank();
        });
    }

    @Test
    void nativeQueries() {
        sessions.inTransaction(s -> s.persist(new Author("Native")));
        sessions.inSession(s -> {
            Object n = s.createNativeQuery("SELECT count(*) FROM hb_author WHERE name = ?1", Long.class)
                    .setParameter(1, "Native").getSingleResult();
            assertThat(n).isEqualTo(1L);
        });
    }
}

package io.pgloom.examples.helidon;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.pgloom.DataException;
import io.pgloom.PgException;
import io.pgloom.UniqueViolationException;
import io.pgloom.pool.PgPool;

import java.util.List;
import java.util.Map;

/**
 * The routes: {@code GET /{power}}, {@code GET /users}, {@code GET /users/{id}},
 * {@code POST /users}; rows become records, records become JSON (Jackson), and a
 * {@link PgException} becomes a status: 400 for bad input (SQLSTATE class 22), 409 for a
 * duplicate, 503 when it is worth retrying later ({@link PgException#isTransient()}), else 500.
 */
final class UsersService {

    /** A row of {@code users}. */
    record User(int id, String name, String email) {
    }

    /** The body of {@code POST /users}. */
    record NewUser(String name, String email) {
    }

    private final PgPool pool;

    UsersService(PgPool pool) {
        this.pool = pool;
    }

    static void createSchema(PgPool pool) {
        pool.execute("CREATE TABLE IF NOT EXISTS users(id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE)");
    }

    void register(HttpRouting.Builder routing) {
        routing.get("/users", this::list)
                .get("/users/{id}", this::one)
                .post("/users", this::create)
                .get("/{power}", this::power)
                .error(PgException.class, UsersService::answerError)
                .error(NumberFormatException.class, (req, res, e) ->
                        res.status(Status.BAD_REQUEST_400).send("not a number: " + e.getMessage() + "\n"));
    }

    private void power(ServerRequest req, ServerResponse res) {
        int power = Integer.parseInt(req.path().pathParameters().get("power"));
        Object result = pool.inTransaction(conn -> conn.fetchVal("SELECT 2 ^ $1", power));
        res.send("2 ^ " + power + " is " + result + "\n");
    }

    private void list(ServerRequest req, ServerResponse res) {
        ensureSchema();
        List<User> users = pool.fetch(User.class, "SELECT id, name, email FROM users ORDER BY id");
        res.send(users);
    }

    private void one(ServerRequest req, ServerResponse res) {
        ensureSchema();
        int id = Integer.parseInt(req.path().pathParameters().get("id"));
        List<User> found = pool.fetch(User.class, "SELECT id, name, email FROM users WHERE id = $1", id);
        if (found.isEmpty()) {
            res.status(Status.NOT_FOUND_404).send(Map.of("error", "no user " + id));
        } else {
            res.send(found.get(0));
        }
    }

    private void create(ServerRequest req, ServerResponse res) {
        ensureSchema();
        NewUser body = req.content().as(NewUser.class);
        if (body.name() == null || body.email() == null) {
            res.status(Status.BAD_REQUEST_400).send(Map.of("error", "name and email are required"));
            return;
        }
        User user = pool.fetch(User.class, "INSERT INTO users(name, email) VALUES ($1, $2) RETURNING id, name, email",
                body.name(), body.email()).get(0);
        res.status(Status.CREATED_201).header("Location", "/users/" + user.id()).send(user);
    }

    private volatile boolean schemaReady;

    /** The schema, made on first use when the database was down at start. */
    private void ensureSchema() {
        if (!schemaReady) {
            createSchema(pool);
            schemaReady = true;
        }
    }

    private static void answerError(ServerRequest req, ServerResponse res, PgException e) {
        Status status;
        if (e instanceof DataException) {
            status = Status.BAD_REQUEST_400;
        } else if (e instanceof UniqueViolationException) {
            status = Status.CONFLICT_409;
        } else if (e.isTransient()) {
            status = Status.SERVICE_UNAVAILABLE_503;
            res.header("Retry-After", "1");
        } else {
            status = Status.INTERNAL_SERVER_ERROR_500;
        }
        String message = e.sqlState() != null ? e.serverMessage() : e.getMessage();
        res.status(status).send(Map.of("error", message, "sqlState", String.valueOf(e.sqlState())));
    }
}

package org.chainkg.neo4j;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.io.Reader;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.server.CommunityBootstrapper;

/**
 * Embedded Neo4j Community server for chainkg development and tests.
 *
 * <p>Usage: {@code Launcher --home DIR [--port 7687] [--host 127.0.0.1] [--pagecache 256m] [--conf-file F]
 * [--http PORT]}
 *
 * <p>{@code --conf-file} is a neo4j.conf-style file of Neo4j settings (what {@code neo4j-server --conf k=v},
 * {@code --conf-file} and {@code --tls-cert/--tls-key} produce). Its settings win over the launcher's
 * defaults below (e.g. {@code server.bolt.tls_level}, {@code dbms.ssl.policy.bolt.*}).
 *
 * <p>DIR is the Neo4j home of this instance: store files go to DIR/data, Neo4j's own logs
 * (debug.log, ...) to DIR/logs. The user log (what a packaged server writes to neo4j.log) goes
 * to stdout, which {@code neo4j-server} redirects to DIR/neo4j.log.
 *
 * <p>Authentication is off unless the environment variable {@code NEO4J_AUTH_PASSWORD} is set;
 * then auth is enabled and the built-in {@code neo4j} user gets that password (see
 * {@link #applyPassword}). Bolt only, unencrypted; HTTP/HTTPS connectors off.
 *
 * <p>{@code --http PORT} starts the DBMS through Neo4j's own server bootstrapper instead of the embedded
 * builder: only the bootstrapper runs the web server, so only then do the HTTP API (/db/NAME/tx,
 * /db/NAME/query/v2) and Neo4j Browser (/browser/, from the neo4j-browser jar on the classpath) exist.
 * The settings are the same in both modes; the conf file wins over them in both.
 *
 * <p>When everything is up the launcher prints a line starting with {@link #READY_MARKER};
 * {@code neo4j-server start} waits for it. SIGTERM/SIGINT run a shutdown hook that shuts the
 * DBMS down cleanly (checkpoint + close stores) before the JVM exits.
 */
public final class Launcher {
    public static final String READY_MARKER = "CHAINKG_NEO4J_READY";
    private static final String USER = "neo4j";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        String host = "127.0.0.1";
        int port = BoltConnector.DEFAULT_PORT;
        long pageCache = ByteUnit.mebiBytes(256);
        Path confFile = null;
        int httpPort = 0;

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home", "--data" -> home = Paths.get(need(args, ++i, a));
                case "--port" -> port = Integer.parseInt(need(args, ++i, a));
                case "--host" -> host = need(args, ++i, a);
                case "--pagecache" -> pageCache = ByteUnit.parse(need(args, ++i, a));
                case "--conf-file" -> confFile = Paths.get(need(args, ++i, a));
                case "--http" -> httpPort = Integer.parseInt(need(args, ++i, a));
                case "-h", "--help" -> {
                    System.out.println("usage: Launcher --home DIR [--port P] [--host H] [--pagecache 256m]"
                            + " [--conf-file F] [--http PORT]");
                    return;
                }
                default -> die("unknown argument: " + a);
            }
        }
        if (home == null) {
            die("--home DIR is required");
        }
        home = home.toAbsolutePath().normalize();
        Files.createDirectories(home);

        String password = System.getenv("NEO4J_AUTH_PASSWORD");
        boolean auth = password != null && !password.isEmpty();

        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        log(out, "starting embedded Neo4j home=" + home + " bolt=" + host + ":" + port
                + (httpPort > 0 ? " http=" + host + ":" + httpPort : "")
                + " auth=" + (auth ? "enabled" : "disabled") + " pagecache=" + pageCache + "B");

        Properties given = new Properties();
        if (confFile != null) {
            try (Reader r = Files.newBufferedReader(confFile, StandardCharsets.UTF_8)) {
                given.load(r);
            }
            log(out, "settings from " + confFile + ": " + String.join(", ", given.stringPropertyNames()));
        }
        Map<org.neo4j.graphdb.config.Setting<?>, Object> defaults = Map.ofEntries(
                Map.entry(BoltConnector.enabled, true),
                Map.entry(BoltConnector.listen_address, new SocketAddress(host, port)),
                Map.entry(BoltConnector.advertised_address, new SocketAddress(host, port)),
                Map.entry(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED),
                Map.entry(HttpConnector.enabled, httpPort > 0),
                Map.entry(HttpsConnector.enabled, false),
                // Browser's discovery document otherwise advertises bolt://localhost:7687
                Map.entry(GraphDatabaseSettings.default_advertised_address, new SocketAddress(host)),
                Map.entry(GraphDatabaseSettings.auth_enabled, auth),
                Map.entry(GraphDatabaseSettings.pagecache_memory, pageCache),
                // dev/test instance: don't pre-allocate 250 MB transaction log files,
                // keep little transaction-log history
                Map.entry(GraphDatabaseSettings.preallocate_logical_logs, false),
                Map.entry(GraphDatabaseSettings.keep_logical_logs, "1 files"),
                Map.entry(GraphDatabaseSettings.udc_enabled, false),
                // Bolt's netty event loops otherwise wait a 5 s "quiet period" twice on shutdown,
                // making every stop take ~10 s; the databases are already checkpointed by then.
                Map.entry(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0));

        // the conf file wins: a default is applied only when the file does not set that setting
        Map<org.neo4j.graphdb.config.Setting<?>, Object> all = new HashMap<>(defaults);
        if (httpPort > 0) {
            all.put(HttpConnector.listen_address, new SocketAddress(host, httpPort));
            all.put(HttpConnector.advertised_address, new SocketAddress(host, httpPort));
        }
        Map<org.neo4j.graphdb.config.Setting<?>, Object> cfg = new HashMap<>();
        all.forEach((k, v) -> {
            if (!given.containsKey(k.name())) {
                cfg.put(k, v);
            }
        });
        if (httpPort > 0) {
            startServer(out, home, confFile, cfg, given, auth, password, host, port, httpPort);
            return;
        }
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(out, Level.INFO));
        if (confFile != null) {
            builder.loadPropertiesFromFile(confFile);
        }
        DatabaseManagementService dbms = builder.setConfig(cfg).build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log(out, "shutdown requested, stopping Neo4j ...");
            try {
                dbms.shutdown();
                log(out, "Neo4j stopped cleanly");
            } catch (Throwable t) {
                log(out, "error during shutdown: " + t);
                t.printStackTrace(out);
            } finally {
                stopped.countDown();
            }
        }, "chainkg-neo4j-shutdown"));

        announceReady(out, dbms, auth, password, "bolt://" + host + ":" + port);
        stopped.await(); // main thread parks; the JVM exits via signal -> shutdown hook
    }

    /**
     * The {@code --http} mode: Neo4j's {@link CommunityBootstrapper} with the same settings, as raw strings
     * (the conf file still wins: keys it sets are not overridden). The bootstrapper installs its own
     * SIGTERM/SIGINT handlers and shutdown hook, which stop the DBMS and the web server cleanly.
     */
    private static void startServer(PrintStream out, Path home, Path confFile,
                                    Map<org.neo4j.graphdb.config.Setting<?>, Object> cfg, Properties given,
                                    boolean auth,
                                    String password, String host, int port, int httpPort) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        cfg.forEach((k, v) -> overrides.put(k.name(), settingText(v)));
        // an offline tool: the Browser loads guides only from this server and sends no usage data
        Map.of("browser.remote_content_hostname_whitelist", "localhost", "client.allow_telemetry", "false")
                .forEach((k, v) -> {
                    if (!given.containsKey(k)) {
                        overrides.put(k, v);
                    }
                });
        CommunityBootstrapper server = new CommunityBootstrapper();
        int rc = server.start(home, confFile, overrides, false, false);
        if (rc != 0) {
            log(out, "startup failed: the Neo4j server bootstrapper returned " + rc);
            System.exit(rc);
        }
        announceReady(out, server.getDatabaseManagementService(), auth, password,
                "bolt://" + host + ":" + port + " web " + host + ":" + httpPort + "/browser/");
        new CountDownLatch(1).await(); // parks; the bootstrapper's hooks stop the server and exit
    }

    /**
     * Waits for the default database, sets the password (when auth is on), warms Cypher up with a trivial
     * query so it is ready before clients arrive, then prints the {@link #READY_MARKER} line that
     * {@code neo4j-server start} waits for. Any failure exits 1 (the shutdown hooks close the DBMS).
     */
    private static void announceReady(PrintStream out, DatabaseManagementService dbms, boolean auth,
                                      String password, String where) {
        try {
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(120_000)) {
                throw new IllegalStateException("default database not available after 120 s");
            }
            if (auth) {
                applyPassword(dbms, password);
            }
            db.executeTransactionally("RETURN 1");
        } catch (Throwable t) {
            log(out, "startup failed: " + t);
            t.printStackTrace(out);
            System.exit(1);
        }
        String version = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        log(out, READY_MARKER + " neo4j " + version + " " + where);
    }

    /** A setting value as neo4j.conf spells it (addresses as host:port, sizes in bytes, enums by name). */
    private static String settingText(Object v) {
        if (v instanceof SocketAddress a) {
            return a.getPort() >= 0 ? a.toString() : a.getHostname();
        }
        return String.valueOf(v);
    }

    /**
     * Sets the password of the built-in user. Embedded 5.x has no API for the "initial password"
     * file that {@code neo4j-admin dbms set-initial-password} writes, so the password is set through
     * the system database on every start (community supports {@code ALTER USER}; {@code CHANGE NOT
     * REQUIRED} clears the forced change of the default password). Neo4j refuses to "change" a
     * password to its current value, so on a restart with the same password a direct ALTER would
     * fail; going through a random intermediate password makes the step idempotent. Passwords
     * shorter than 8 characters are rejected (dbms.security.auth_minimum_password_length).
     */
    private static void applyPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        String alter = "ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED";
        String intermediate = java.util.UUID.randomUUID().toString();
        system.executeTransactionally(alter, Map.of("pw", intermediate));
        system.executeTransactionally(alter, Map.of("pw", password));
    }

    private static String need(String[] args, int i, String flag) {
        if (i >= args.length) {
            die(flag + " needs a value");
        }
        return args[i];
    }

    private static void log(PrintStream out, String msg) {
        out.println(Instant.now() + " chainkg-launcher " + msg);
    }

    private static void die(String msg) {
        System.err.println("Launcher: " + msg);
        System.exit(2);
    }
}

package dev.binrelay.devtools;

import dev.binrelay.testkit.EmbeddedMySql;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's database {@code shop}: customers, their orders (DECIMAL, DATETIME(6), JSON, utf8mb4 text with an
 * emoji) and an event log keyed by BIGINT UNSIGNED with BLOB payloads, so that the demo exercises the column types
 * replication most often gets wrong.
 */
final class ShopSchema {
    /** The demo database. */
    static final String DATABASE = "shop";
    /** Customers created before the workload starts; the workload's orders refer to them. */
    static final int SEED_CUSTOMERS = 50;

    private ShopSchema() {
    }

    /** Creates the database, its tables and the seed customers on {@code source}. */
    static void create(EmbeddedMySql source) {
        source.execute(
                "CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci",
                """
                CREATE TABLE shop.customers (
                  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                  name VARCHAR(100) NOT NULL,
                  email VARCHAR(200) NOT NULL,
                  city VARCHAR(100) NULL,
                  created_at DATETIME(6) NOT NULL
                )""",
                """
                CREATE TABLE shop.orders (
                  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                  customer_id INT NOT NULL,
                  total DECIMAL(12,2) NOT NULL,
                  status VARCHAR(20) NOT NULL,
                  note TEXT NULL,
                  details JSON NULL,
                  placed_at DATETIME(6) NOT NULL,
                  updated_at DATETIME(6) NULL,
                  KEY orders_by_customer (customer_id)
                )""",
                """
                CREATE TABLE shop.events (
                  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
                  kind VARCHAR(30) NOT NULL,
                  payload BLOB NULL,
                  happened_at DATETIME(6) NOT NULL
                )""");
        source.execute(seedCustomers().toArray(String[]::new));
    }

    private static List<String> seedCustomers() {
        String[] names = {"Zoë Ångström", "José Müller", "李小龙", "Αλέξανδρος", "Nadia 🌸 Haddad"};
        String[] cities = {"Zürich", "São Paulo", "東京", "Kraków", "Reykjavík"};
        List<String> statements = new ArrayList<>();
        for (int i = 1; i <= SEED_CUSTOMERS; i++) {
            statements.add("INSERT INTO shop.customers (name, email, city, created_at) VALUES ('"
                    + names[i % names.length] + " " + i + "', 'customer" + i + "@example.com', "
                    + (i % 7 == 0 ? "NULL" : "'" + cities[i % cities.length] + "'") + ", NOW(6))");
        }
        return statements;
    }
}

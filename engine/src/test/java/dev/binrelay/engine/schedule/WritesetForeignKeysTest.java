package dev.binrelay.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.apply.ForeignKeyColumns;
import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.pipeline.TransactionSlot;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The writeset scheduler on foreign keys and on rows no key identifies: a child waits for the transaction that wrote
 * its parent and a parent's delete for the children written before it, a cascading parent change runs alone, and a
 * keyless row is known by its whole image. A barrier at sequence s shows as a wait for s - 1 (everything before it).
 */
class WritesetForeignKeysTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    /** parent (id PRIMARY KEY, name VARCHAR) */
    private static final SourceTable PARENT = new SourceTable("shop", "parent", new int[] {3, 15}, List.of());
    /** child (id PRIMARY KEY, parent_id INT NULL REFERENCES parent (id), note VARCHAR) */
    private static final SourceTable CHILD = new SourceTable("shop", "child", new int[] {3, 3, 15}, List.of());
    /** history (a INT, b VARCHAR): no key at all */
    private static final SourceTable HISTORY = new SourceTable("shop", "history", new int[] {3, 15}, List.of());
    private static final String REFERENCED = ForeignKeyColumns.name("shop", "parent", List.of("id"));
    private final AtomicLong gno = new AtomicLong();

    @Test
    void childWaitsForTheTransactionThatWroteItsParentAndChildrenOfOtherParentsRunApart() {
        Scheduling scheduling = scheduling(false, false);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {1L, bytes("one")}), 0);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {2L, bytes("two")}), 1);
        assertThat(place(scheduling, child(RowChange.Kind.INSERT, null, new Object[] {10L, 1L, bytes("x")}), 2))
                .as("child of parent 1").isEqualTo(0);
        assertThat(place(scheduling, child(RowChange.Kind.INSERT, null, new Object[] {11L, 2L, bytes("x")}), 3))
                .as("child of parent 2").isEqualTo(1);
        assertThat(place(scheduling, child(RowChange.Kind.INSERT, null, new Object[] {12L, null, bytes("x")}), 4))
                .as("a NULL reference references nothing").isEqualTo(-1);
        assertThat(place(scheduling, child(RowChange.Kind.UPDATE, new Object[] {12L, null, bytes("x")},
                new Object[] {12L, 2L, bytes("x")}), 5)).as("now the child of parent 2: after 3 and 4").isEqualTo(4);
    }

    @Test
    void aChildUpdateThatKeepsItsParentIsNotOrderedByItButAParentUpdateIs() {
        Scheduling scheduling = scheduling(true, true);
        place(scheduling, child(RowChange.Kind.INSERT, null, new Object[] {10L, 1L, bytes("x")}), 0);
        assertThat(place(scheduling, row(PARENT, RowChange.Kind.UPDATE, new Object[] {1L, bytes("one")},
                new Object[] {1L, bytes("uno")}), 1)).as("the parent's name, after the insert that locked the parent")
                .isEqualTo(0);
        assertThat(place(scheduling, child(RowChange.Kind.UPDATE, new Object[] {11L, 1L, bytes("x")},
                new Object[] {11L, 1L, bytes("y")}), 2)).as("another child's note, under the same parent")
                .isEqualTo(-1);
        assertThat(place(scheduling, child(RowChange.Kind.UPDATE, new Object[] {12L, 1L, bytes("y")},
                new Object[] {12L, 7L, bytes("y")}), 3)).as("re-pointed from parent 1: after its update")
                .isEqualTo(1);
    }

    @Test
    void restrictedParentDeleteWaitsForTheChildDeletedBeforeIt() {
        Scheduling scheduling = scheduling(false, false);
        place(scheduling, child(RowChange.Kind.INSERT, null, new Object[] {10L, 1L, bytes("x")}), 0);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {7L, bytes("other")}), 1);
        assertThat(place(scheduling, child(RowChange.Kind.DELETE, new Object[] {10L, 1L, bytes("x")}, null), 2))
                .isEqualTo(0);
        assertThat(place(scheduling, row(PARENT, RowChange.Kind.DELETE, new Object[] {1L, bytes("one")}, null), 3))
                .as("ON DELETE RESTRICT: after the child's delete").isEqualTo(2);
    }

    @Test
    void cascadingParentDeleteRunsAlone() {
        Scheduling scheduling = scheduling(true, false);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {7L, bytes("other")}), 0);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {8L, bytes("other")}), 1);
        assertThat(place(scheduling, row(PARENT, RowChange.Kind.DELETE, new Object[] {1L, bytes("one")}, null), 2))
                .as("ON DELETE CASCADE: a barrier").isEqualTo(1);
    }

    @Test
    void cascadingParentUpdateRunsAloneOnlyWhenItChangesTheReferencedValue() {
        Scheduling scheduling = scheduling(false, true);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {7L, bytes("other")}), 0);
        assertThat(place(scheduling, row(PARENT, RowChange.Kind.UPDATE, new Object[] {1L, bytes("one")},
                new Object[] {1L, bytes("uno")}), 1)).as("the name only: no cascade").isEqualTo(-1);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {8L, bytes("other")}), 2);
        assertThat(place(scheduling, row(PARENT, RowChange.Kind.UPDATE, new Object[] {1L, bytes("uno")},
                new Object[] {5L, bytes("uno")}), 3)).as("ON UPDATE CASCADE of the id: a barrier").isEqualTo(2);
    }

    @Test
    void minimalChildDeleteThatDoesNotShowItsReferenceRunsAlone() {
        Scheduling scheduling = scheduling(false, false);
        place(scheduling, row(PARENT, RowChange.Kind.INSERT, null, new Object[] {7L, bytes("other")}), 0);
        BitSet idOnly = new BitSet();
        idOnly.set(0);
        Transaction delete = transaction(new RowChange(CHILD, RowChange.Kind.DELETE, new Object[] {10L, null, null},
                null, idOnly, null, null));
        assertThat(place(scheduling, delete, 1)).as("the parent it stops referencing is unknown").isEqualTo(0);
    }

    @Test
    void aVarbinaryChildMeetsItsBinaryParentWhoseLoggedValueLostItsPadding() {
        SourceTable parent = new SourceTable("shop", "bparent", new int[] {254}, List.of());
        SourceTable child = new SourceTable("shop", "bchild", new int[] {3, 15}, List.of());
        String referenced = ForeignKeyColumns.name("shop", "bparent", List.of("id"));
        TableKeys parentKeys = new TableKeys(List.<int[]>of(new int[] {0}), List.<int[]>of(new int[1]),
                new KeyFold[1], true, List.of(new ForeignKeyColumns(referenced, new int[] {0}, true, false, false)),
                new int[0]);
        TableKeys childKeys = new TableKeys(List.<int[]>of(new int[] {0}), List.<int[]>of(new int[1]),
                new KeyFold[2], true, List.of(ForeignKeyColumns.child(referenced, new int[] {1})), new int[0]);
        Scheduling scheduling = new Scheduling(SchedulerKind.WRITESET, new WritesetScheduler(
                table -> table == parent ? parentKeys : childKeys, 1000, sequence -> { }), 4, 1);
        // INSERT INTO bparent VALUES (0x61620000): BINARY(4), logged as 61 62
        place(scheduling, row(parent, RowChange.Kind.INSERT, null, new Object[] {new byte[] {0x61, 0x62}}), 0);
        // INSERT INTO bchild VALUES (1, 0x61620000): VARBINARY(4), logged as stored
        assertThat(place(scheduling, row(child, RowChange.Kind.INSERT, null,
                new Object[] {1L, new byte[] {0x61, 0x62, 0, 0}}), 1)).isEqualTo(0);
    }

    @Test
    void keylessRowsAreKnownByTheirWholeImage() {
        Scheduling scheduling = scheduling(false, false);
        place(scheduling, row(HISTORY, RowChange.Kind.INSERT, null, new Object[] {1L, bytes("a")}), 0);
        assertThat(place(scheduling, row(HISTORY, RowChange.Kind.INSERT, null, new Object[] {1L, bytes("b")}), 1))
                .as("another row").isEqualTo(-1);
        assertThat(place(scheduling, row(HISTORY, RowChange.Kind.INSERT, null, new Object[] {1L, bytes("a")}), 2))
                .as("an identical row: DELETE ... LIMIT 1 could take either").isEqualTo(0);
        assertThat(place(scheduling, row(HISTORY, RowChange.Kind.UPDATE, new Object[] {1L, bytes("b")},
                new Object[] {1L, bytes("A")}), 3)).as("the row written by 1").isEqualTo(1);
        assertThat(place(scheduling, row(HISTORY, RowChange.Kind.DELETE, new Object[] {1L, bytes("A")}, null), 4))
                .as("bytes, not the collation: 'A' is the row 3 wrote").isEqualTo(3);
        assertThat(place(scheduling, row(HISTORY, RowChange.Kind.INSERT, null, new Object[] {null, bytes("a")}), 5))
                .as("NULL is a value of the image").isEqualTo(-1);
        assertThat(place(scheduling, row(HISTORY, RowChange.Kind.DELETE, new Object[] {null, bytes("a")}, null), 6))
                .isEqualTo(5);
        BitSet firstOnly = new BitSet();
        firstOnly.set(0);
        Transaction partial = transaction(new RowChange(HISTORY, RowChange.Kind.INSERT, null,
                new Object[] {2L, null}, null, firstOnly, null));
        assertThat(place(scheduling, partial, 7)).as("a column (a default) the image does not show: alone")
                .isEqualTo(6);
    }

    /** parent and child keyed by id, child (parent_id) referencing parent (id) with the given cascades. */
    private static Scheduling scheduling(boolean cascadesOnDelete, boolean cascadesOnUpdate) {
        KeyFold ci = KeyFold.of("utf8mb4_0900_ai_ci", StandardCharsets.UTF_8);
        TableKeys parent = new TableKeys(List.<int[]>of(new int[] {0}), List.<int[]>of(new int[1]),
                new KeyFold[] {null, ci}, true,
                List.of(new ForeignKeyColumns(REFERENCED, new int[] {0}, true, cascadesOnDelete, cascadesOnUpdate)),
                new int[0]);
        TableKeys child = new TableKeys(List.<int[]>of(new int[] {0}), List.<int[]>of(new int[1]),
                new KeyFold[] {null, null, ci}, true, List.of(ForeignKeyColumns.child(REFERENCED, new int[] {1})),
                new int[0]);
        TableKeys history = new TableKeys(List.of(), List.of(), new KeyFold[] {null, ci}, false, List.of(),
                new int[] {0, 1});
        return new Scheduling(SchedulerKind.WRITESET, new WritesetScheduler(
                table -> table == PARENT ? parent : table == CHILD ? child : history, 1000, sequence -> { }), 4, 1);
    }

    /** Where the transaction waits: -1 for nothing, else the sequence it waits for. */
    private static long place(Scheduling scheduling, Transaction transaction, long sequence) {
        TransactionSlot slot = new TransactionSlot();
        scheduling.place(transaction, sequence, slot);
        return slot.waitFor;
    }

    private Transaction child(RowChange.Kind kind, Object[] before, Object[] after) {
        return row(CHILD, kind, before, after);
    }

    private Transaction row(SourceTable table, RowChange.Kind kind, Object[] before, Object[] after) {
        BitSet all = new BitSet();
        all.set(0, table.columnCount());
        return transaction(new RowChange(table, kind, before, after, before == null ? null : all,
                after == null ? null : all, null));
    }

    private Transaction transaction(RowChange row) {
        return new Transaction(new Gtid(SOURCE, gno.incrementAndGet()), 0, 0, 0, 0, List.of(row), 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

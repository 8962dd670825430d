package dev.binrelay.engine.schedule;

import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.pipeline.TransactionSlot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The writeset scheduler's dependency decision where row images differ from what the target's unique indexes
 * compare: T1 frees a key value, T2 takes it, and T2 must wait for T1 (directly, or because T1 is a barrier).
 */
class WritesetKeysTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final SourceTable T = new SourceTable("shop", "t", new int[] {3, 15, 3}, List.of());
    private static final KeyFold AI_CI = KeyFold.of("utf8mb4_0900_ai_ci", StandardCharsets.UTF_8);
    private final AtomicLong gno = new AtomicLong();

    @Test
    void minimalImageDeleteFreesAUniqueValueItDoesNotShowSoItIsABarrier() {
        Scheduling scheduling = scheduling(new TableKeys(List.of(new int[] {0}, new int[] {1}),
                new KeyFold[] {null, AI_CI, null}, true));
        place(scheduling, insert(9, "z"), 0);
        assertThat(place(scheduling, delete(only(0), 1, null), 1).waitFor).as("T1 waits for all before it")
                .isEqualTo(0);
        assertThat(place(scheduling, insert(2, "a"), 2).waitFor).as("T2 waits for T1").isEqualTo(1);
    }

    @Test
    void minimalImageUpdateOfTheUniqueValueIsABarrierButOneLeavingItAloneIsNot() {
        Scheduling scheduling = scheduling(new TableKeys(List.of(new int[] {0}, new int[] {1}),
                new KeyFold[] {null, AI_CI, null}, true));
        place(scheduling, insert(9, "z"), 0);
        // UPDATE t SET n = 5 WHERE id = 1 under MINIMAL: before {id}, after {n}; u unchanged
        assertThat(place(scheduling, update(only(0), new Object[] {1L, null, null}, only(2),
                new Object[] {null, null, 5L}), 1).waitFor).as("leaves u alone: independent").isEqualTo(-1);
        // UPDATE t SET u = 'b' WHERE id = 1: frees the old u, which the before image does not show
        assertThat(place(scheduling, update(only(0), new Object[] {1L, null, null}, only(1),
                new Object[] {null, bytes("b"), null}), 2).waitFor).as("T1 waits for all before it").isEqualTo(1);
        assertThat(place(scheduling, insert(2, "a"), 3).waitFor).as("T2 waits for T1").isEqualTo(2);
    }

    @Test
    void minimalImageUpdateHashesTheNewKeyWithTheColumnsItKeeps() {
        // UNIQUE (u, n): the update sets n only; the new key is u from the before image and n from the after image.
        Scheduling scheduling = scheduling(new TableKeys(List.of(new int[] {1, 2}), new KeyFold[] {null, AI_CI, null},
                false));
        place(scheduling, update(all(), new Object[] {1L, bytes("a"), 1L}, only(2), new Object[] {null, null, 2L}), 0);
        assertThat(place(scheduling, delete(all(), 1, "a", 2L), 1).waitFor).isEqualTo(0);
    }

    @Test
    void keylessTableRowWithNullInEveryUniqueKeyHasNoIdentitySoItIsABarrier() {
        Scheduling scheduling = scheduling(new TableKeys(List.<int[]>of(new int[] {1}),
                new KeyFold[] {null, AI_CI, null}, false));
        place(scheduling, insert(9, "z"), 0);
        // UPDATE t SET a = 5 WHERE a = 1, then UPDATE t SET a = 6 WHERE a = 5, on a row with u NULL
        assertThat(place(scheduling, update(all(), new Object[] {1L, null, 0L}, all(), new Object[] {5L, null, 0L}),
                1).waitFor).as("T1 waits for all before it").isEqualTo(0);
        assertThat(place(scheduling, update(all(), new Object[] {5L, null, 0L}, all(), new Object[] {6L, null, 0L}),
                2).waitFor).as("T2 waits for T1").isEqualTo(1);
    }

    @Test
    void nullInASecondaryUniqueKeyOfATableWithAPrimaryKeyIsNoBarrier() {
        Scheduling scheduling = scheduling(new TableKeys(List.of(new int[] {0}, new int[] {1}),
                new KeyFold[] {null, AI_CI, null}, true));
        place(scheduling, insert(9, "z"), 0);
        assertThat(place(scheduling, insert(1, null), 1).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, insert(2, null), 2).waitFor).as("NULLs never collide").isEqualTo(-1);
    }

    @Test
    void prefixKeyCollidesOnThePrefixOfTextAndOfBytes() {
        Scheduling scheduling = scheduling(new TableKeys(List.of(new int[] {0}, new int[] {1}),
                List.of(new int[] {0}, new int[] {5}), new KeyFold[] {null, AI_CI, null}, true));
        place(scheduling, delete(all(), 1, "alice@one.example", 0L), 0);
        assertThat(place(scheduling, insert(2, "ALICE@two.example"), 1).waitFor).isEqualTo(0);
        assertThat(place(scheduling, insert(3, "alicf@one.example"), 2).waitFor).as("another prefix").isEqualTo(-1);

        Scheduling binary = scheduling(new TableKeys(List.of(new int[] {0}, new int[] {1}),
                List.of(new int[] {0}, new int[] {3}), new KeyFold[3], true));
        place(binary, delete(all(), 1, "abcd", 0L), 0);
        assertThat(place(binary, insert(2, "abcz"), 1).waitFor).isEqualTo(0);
    }

    @Test
    void textEqualUnderTheColumnCollationCollides() {
        String[][] pairs = {
                {"utf8mb4_0900_ai_ci", "strasse", "straße"},
                {"utf8mb4_0900_ai_ci", "resume", "Résumé"},
                {"utf8mb4_general_ci", "stra", "ßtra"},
                {"utf8mb4_bin", "a", "a  "},
                {"latin1_swedish_ci", "a", "A  "},
                {"an_unknown_collation", "x", "y"},
        };
        for (String[] pair : pairs) {
            KeyFold fold = KeyFold.of(pair[0], StandardCharsets.UTF_8);
            Scheduling scheduling = scheduling(new TableKeys(List.of(new int[] {0}, new int[] {1}),
                    new KeyFold[] {null, fold, null}, true));
            place(scheduling, delete(all(), 1, pair[1], 0L), 0);
            assertThat(place(scheduling, insert(2, pair[2]), 1).waitFor).as("%s: '%s' frees '%s'", pair[0], pair[1],
                    pair[2]).isEqualTo(0);
        }
        Scheduling binary = scheduling(new TableKeys(List.of(new int[] {0}, new int[] {1}),
                new KeyFold[] {null, KeyFold.of("utf8mb4_bin", StandardCharsets.UTF_8), null}, true));
        place(binary, delete(all(), 1, "a", 0L), 0);
        assertThat(place(binary, insert(2, "A"), 1).waitFor).as("_bin tells case apart").isEqualTo(-1);
    }

    private static Scheduling scheduling(TableKeys keys) {
        return new Scheduling(SchedulerKind.WRITESET, new WritesetScheduler(table -> keys, 1000, sequence -> { }),
                4, 1);
    }

    private static TransactionSlot place(Scheduling scheduling, Transaction transaction, long sequence) {
        TransactionSlot slot = new TransactionSlot();
        scheduling.place(transaction, sequence, slot);
        return slot;
    }

    private Transaction insert(long id, String text) {
        return transaction(new RowChange(T, RowChange.Kind.INSERT, null, new Object[] {id, bytes(text), 0L}, null,
                all(), null));
    }

    private Transaction delete(BitSet present, long id, String text, Long n) {
        return transaction(new RowChange(T, RowChange.Kind.DELETE, new Object[] {id, bytes(text), n}, null, present,
                null, null));
    }

    private Transaction delete(BitSet present, long id, String text) {
        return delete(present, id, text, present.get(2) ? 0L : null);
    }

    private Transaction update(BitSet presentBefore, Object[] before, BitSet presentAfter, Object[] after) {
        return transaction(new RowChange(T, RowChange.Kind.UPDATE, before, after, presentBefore, presentAfter, null));
    }

    private Transaction transaction(RowChange row) {
        return new Transaction(new Gtid(SOURCE, gno.incrementAndGet()), 0, 0, 0, 0, List.of(row), 1);
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static BitSet only(int column) {
        BitSet present = new BitSet();
        present.set(column);
        return present;
    }

    private static BitSet all() {
        BitSet present = new BitSet();
        present.set(0, 3);
        return present;
    }
}

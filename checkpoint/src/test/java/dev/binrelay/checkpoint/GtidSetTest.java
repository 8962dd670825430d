package dev.binrelay.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GtidSetTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "8a94f357-aab4-11df-86ab-c80aa9429562";
    private static final String C = "f0000000-0000-0000-0000-000000000001";

    private static Gtid gtid(String uuid, long n) {
        return new Gtid(UUID.fromString(uuid), n);
    }

    @Nested
    class SingleGtid {
        @Test
        void parsesUppercaseUuidAndPrintsLowercase() {
            Gtid gtid = Gtid.parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:23");
            assertThat(gtid.sourceId()).isEqualTo(UUID.fromString(A));
            assertThat(gtid.transactionId()).isEqualTo(23);
            assertThat(gtid).hasToString(A + ":23");
        }

        @Test
        void rejectsTransactionIdZeroQuotingTheInput() {
            assertThatThrownBy(() -> Gtid.parse(A + ":0"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"" + A + ":0\"")
                    .hasMessageContaining("must be between 1 and");
        }

        @Test
        void rejectsRangeMissingNumberAndBadUuid() {
            assertThatThrownBy(() -> Gtid.parse(A + ":1-5")).hasMessageContaining("not a range");
            assertThatThrownBy(() -> Gtid.parse(A)).hasMessageContaining("expected <uuid>:<transaction id>");
            assertThatThrownBy(() -> Gtid.parse("1-2-3-4-5:7")).hasMessageContaining("\"1-2-3-4-5\" is not a UUID");
            assertThatThrownBy(() -> Gtid.parse(A + ":x")).hasMessageContaining("\"x\" is not a transaction id");
        }

        @Test
        void rejectsTaggedGtid() {
            assertThatThrownBy(() -> Gtid.parse(A + ":mytag:5"))
                    .hasMessage("tagged GTIDs (MySQL 8.4) are not supported yet: " + A + ":mytag:5");
        }

        @Test
        void constructorRejectsOutOfRangeNumbers() {
            assertThatThrownBy(() -> new Gtid(UUID.fromString(A), 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Gtid(UUID.fromString(A), Long.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(new Gtid(UUID.fromString(A), Gtid.MAX_TRANSACTION_ID).transactionId())
                    .isEqualTo(Long.MAX_VALUE - 1);
        }
    }

    @Nested
    class ParsingAndFormatting {
        @Test
        void canonicalTextRoundTrips() {
            String text = A + ":1-5:7:9-12," + B + ":1-3";
            assertThat(GtidSet.parse(text)).hasToString(text);
        }

        @Test
        void emptyAndBlankTextIsTheEmptySet() {
            assertThat(GtidSet.parse("")).isEqualTo(GtidSet.empty()).hasToString("");
            assertThat(GtidSet.parse("  \n ").isEmpty()).isTrue();
            assertThat(GtidSet.empty().count()).isZero();
        }

        @Test
        void overlappingAdjacentAndUnsortedIntervalsAreMerged() {
            assertThat(GtidSet.parse(A + ":1-3:4-5")).isEqualTo(GtidSet.parse(A + ":1-5")).hasToString(A + ":1-5");
            assertThat(GtidSet.parse(A + ":9-12:1-5:3-7:20:19")).hasToString(A + ":1-7:9-12:19-20");
            assertThat(GtidSet.parse(A + ":5:5:5")).hasToString(A + ":5");
        }

        @Test
        void sameUuidInSeveralEntriesIsMerged() {
            assertThat(GtidSet.parse(A + ":1-3," + B + ":1," + A + ":4-6")).hasToString(A + ":1-6," + B + ":1");
        }

        @Test
        void acceptsGtidExecutedStyleNewlinesAndUppercase() {
            String mysqlOutput = B.toUpperCase() + ":1-3,\n" + A.toUpperCase() + ":1-5:7 ,\r\n  " + C + ":2";
            assertThat(GtidSet.parse(mysqlOutput)).hasToString(A + ":1-5:7," + B + ":1-3," + C + ":2");
        }

        @Test
        void sortsUuidsByTheirTextIncludingHighBitUuids() {
            // f0... has a negative most-significant long; it must still print after 3e... and 8a...
            GtidSet set = GtidSet.parse(C + ":1," + B + ":1," + A + ":1");
            assertThat(set).hasToString(A + ":1," + B + ":1," + C + ":1");
            assertThat(set.sourceIds()).extracting(UUID::toString).containsExactly(A, B, C);
        }

        @Test
        void exposesIntervalsPerSource() {
            GtidSet set = GtidSet.parse(A + ":1-5:7:9-12," + B + ":1-3");
            assertThat(set.intervals(UUID.fromString(A)))
                    .containsExactly(new Interval(1, 5), new Interval(7, 7), new Interval(9, 12));
            assertThat(set.intervals(UUID.fromString(C))).isEmpty();
            assertThat(new Interval(7, 7)).hasToString("7");
            assertThat(new Interval(1, 5)).hasToString("1-5");
        }

        @Test
        void rejectsTaggedGtids() {
            String text = A + ":1-3," + B + ":tag_1:1-5";
            assertThatThrownBy(() -> GtidSet.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tagged GTIDs (MySQL 8.4) are not supported yet: " + text);
        }

        @Test
        void rejectsTransactionIdZero() {
            assertThatThrownBy(() -> GtidSet.parse(A + ":0"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"0\"")
                    .hasMessageContaining("must be between 1 and");
        }

        @Test
        void rejectsBackwardsInterval() {
            assertThatThrownBy(() -> GtidSet.parse(A + ":5-3"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"5-3\" ends before it starts");
        }

        @Test
        void rejectsGarbageQuotingTheOffendingPart() {
            assertThatThrownBy(() -> GtidSet.parse("garbage")).hasMessageContaining("\"garbage\" is not a UUID");
            assertThatThrownBy(() -> GtidSet.parse(A + ":1-x")).hasMessageContaining("\"x\" is not a transaction id");
            assertThatThrownBy(() -> GtidSet.parse(A + ":1-2-3")).hasMessageContaining("\"2-3\"");
            assertThatThrownBy(() -> GtidSet.parse(A + ":1,," + B + ":1"))
                    .hasMessageContaining("empty entry between commas");
            assertThatThrownBy(() -> GtidSet.parse(A)).hasMessageContaining("has no transaction ids");
            assertThatThrownBy(() -> GtidSet.parse(A + ":")).hasMessageContaining("\"\" is not a transaction id");
            assertThatThrownBy(() -> GtidSet.parse(A + ":99999999999999999999"))
                    .hasMessageContaining("\"99999999999999999999\" must be between 1 and");
        }
    }

    @Nested
    class Operations {
        private final GtidSet ab = GtidSet.parse(A + ":1-10:20-30," + B + ":5-7");

        @Test
        void addExtendsBridgesOrInsertsAndIgnoresDuplicates() {
            assertThat(ab.add(gtid(A, 11))).hasToString(A + ":1-11:20-30," + B + ":5-7");
            assertThat(ab.add(gtid(A, 19))).hasToString(A + ":1-10:19-30," + B + ":5-7");
            assertThat(ab.add(gtid(A, 15))).hasToString(A + ":1-10:15:20-30," + B + ":5-7");
            assertThat(ab.add(gtid(A, 40))).hasToString(A + ":1-10:20-30:40," + B + ":5-7");
            assertThat(ab.add(gtid(C, 1))).hasToString(A + ":1-10:20-30," + B + ":5-7," + C + ":1");
            assertThat(ab.add(gtid(A, 5))).isSameAs(ab);
            assertThat(GtidSet.parse(A + ":1-4:6-9").add(gtid(A, 5))).hasToString(A + ":1-9");
            assertThat(GtidSet.of(gtid(B, 3))).hasToString(B + ":3");
        }

        @Test
        void addLeavesTheOriginalUnchanged() {
            GtidSet before = GtidSet.parse(ab.toString());
            ab.add(gtid(A, 15)).add(gtid(B, 8)).add(gtid(C, 2));
            assertThat(ab).isEqualTo(before);
        }

        @Test
        void unionMergesPerSource() {
            GtidSet other = GtidSet.parse(A + ":11-19:35," + C + ":1-2");
            assertThat(ab.union(other)).hasToString(A + ":1-30:35," + B + ":5-7," + C + ":1-2");
            assertThat(ab.union(GtidSet.empty())).isEqualTo(ab);
            assertThat(GtidSet.empty().union(ab)).isEqualTo(ab);
        }

        @Test
        void subtractFromTheMiddleOfAnIntervalSplitsIt() {
            assertThat(ab.subtract(GtidSet.parse(A + ":4-6"))).hasToString(A + ":1-3:7-10:20-30," + B + ":5-7");
            assertThat(ab.subtract(GtidSet.parse(A + ":5:25"))).hasToString(A + ":1-4:6-10:20-24:26-30," + B + ":5-7");
        }

        @Test
        void subtractAcrossIntervalsAndWholeSources() {
            assertThat(ab.subtract(GtidSet.parse(A + ":8-22," + B + ":1-100")))
                    .hasToString(A + ":1-7:23-30");
            assertThat(ab.subtract(ab)).isEqualTo(GtidSet.empty());
            assertThat(ab.subtract(GtidSet.parse(C + ":1-100"))).isEqualTo(ab);
        }

        @Test
        void containsIsExactAtIntervalEdges() {
            assertThat(ab.contains(gtid(A, 1))).isTrue();
            assertThat(ab.contains(gtid(A, 10))).isTrue();
            assertThat(ab.contains(gtid(A, 11))).isFalse();
            assertThat(ab.contains(gtid(A, 19))).isFalse();
            assertThat(ab.contains(gtid(A, 20))).isTrue();
            assertThat(ab.contains(gtid(A, 31))).isFalse();
            assertThat(ab.contains(gtid(B, 4))).isFalse();
            assertThat(ab.contains(gtid(C, 1))).isFalse();
        }

        @Test
        void containsAllNeedsEverySourceAndInterval() {
            assertThat(ab.containsAll(GtidSet.parse(A + ":2-9:25," + B + ":6"))).isTrue();
            assertThat(ab.containsAll(GtidSet.parse(A + ":9-11"))).isFalse();
            assertThat(ab.containsAll(GtidSet.parse(C + ":1"))).isFalse();
            assertThat(ab.containsAll(GtidSet.empty())).isTrue();
            assertThat(GtidSet.empty().containsAll(ab)).isFalse();
        }

        @Test
        void countSumsAllSources() {
            assertThat(ab.count()).isEqualTo(10 + 11 + 3);
        }

        @Test
        void equalSetsHaveEqualHashCodesWhateverTheirHistory() {
            GtidSet built = GtidSet.empty().add(gtid(B, 7)).add(gtid(B, 5)).add(gtid(B, 6))
                    .union(GtidSet.parse(A + ":20-30:1-10"));
            assertThat(built).isEqualTo(ab).hasSameHashCodeAs(ab);
            assertThat(built).isNotEqualTo(ab.add(gtid(C, 1)));
            assertThat(ab.add(gtid(A, 12))).isNotEqualTo(ab.add(gtid(A, 13)));
        }
    }

    @Nested
    class AgainstAReferenceModel {
        private static final long SEED = 20241121L;
        private final List<UUID> sources = List.of(UUID.fromString(A), UUID.fromString(B), UUID.fromString(C));

        @Test
        void fiveThousandRandomOperationsAgreeWithANaiveModel() {
            System.out.println("GtidSetTest reference-model seed: " + SEED);
            Random random = new Random(SEED);
            GtidSet set = GtidSet.empty();
            Map<UUID, TreeSet<Long>> model = new TreeMap<>();
            for (int step = 0; step < 5000; step++) {
                String context = "seed " + SEED + ", step " + step;
                int op = random.nextInt(10);
                if (op < 5) {
                    Gtid gtid = new Gtid(sources.get(random.nextInt(3)), 1 + random.nextInt(300));
                    assertThat(set.contains(gtid)).as(context).isEqualTo(modelContains(model, gtid));
                    set = set.add(gtid);
                    model.computeIfAbsent(gtid.sourceId(), k -> new TreeSet<>()).add(gtid.transactionId());
                } else {
                    Map<UUID, TreeSet<Long>> otherModel = new TreeMap<>();
                    GtidSet other = GtidSet.parse(randomText(random, otherModel));
                    assertThat(other).as(context).isEqualTo(fromModel(otherModel));
                    assertThat(set.containsAll(other)).as(context).isEqualTo(modelContainsAll(model, otherModel));
                    if (op < 8) {
                        set = set.union(other);
                        otherModel.forEach((k, v) -> model.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
                    } else {
                        set = set.subtract(other);
                        otherModel.forEach((k, v) -> {
                            if (model.containsKey(k)) {
                                model.get(k).removeAll(v);
                            }
                        });
                    }
                }
                model.values().removeIf(TreeSet::isEmpty);
                assertThat(set).as(context).hasToString(modelText(model)).isEqualTo(fromModel(model));
                assertThat(set.count()).as(context).isEqualTo(model.values().stream().mapToLong(TreeSet::size).sum());
                assertThat(GtidSet.parse(set.toString())).as(context).isEqualTo(set);
                assertThat(set.sourceIds()).as(context).containsExactlyInAnyOrderElementsOf(model.keySet());
                Gtid probe = new Gtid(sources.get(random.nextInt(3)), 1 + random.nextInt(300));
                assertThat(set.contains(probe)).as(context).isEqualTo(modelContains(model, probe));
            }
        }

        /** Random GTID-set text with unsorted, overlapping and adjacent intervals; fills the model to match. */
        private String randomText(Random random, Map<UUID, TreeSet<Long>> model) {
            List<String> entries = new ArrayList<>();
            int entryCount = random.nextInt(4);
            for (int e = 0; e < entryCount; e++) {
                UUID source = sources.get(random.nextInt(3));
                StringBuilder entry = new StringBuilder(random.nextBoolean() ? source.toString()
                        : source.toString().toUpperCase());
                int intervals = 1 + random.nextInt(3);
                for (int i = 0; i < intervals; i++) {
                    long start = 1 + random.nextInt(300);
                    long end = start + (random.nextInt(3) == 0 ? 0 : random.nextInt(40));
                    entry.append(':').append(start);
                    if (end != start || random.nextBoolean()) {
                        entry.append('-').append(end);
                    }
                    for (long n = start; n <= end; n++) {
                        model.computeIfAbsent(source, k -> new TreeSet<>()).add(n);
                    }
                }
                entries.add(entry.toString());
            }
            return String.join(random.nextBoolean() ? "," : ",\n", entries);
        }

        /** The model's set, built only from {@link GtidSet#add} so parsing and merging are checked independently. */
        private GtidSet fromModel(Map<UUID, TreeSet<Long>> model) {
            GtidSet result = GtidSet.empty();
            for (Map.Entry<UUID, TreeSet<Long>> entry : model.entrySet()) {
                for (long n : entry.getValue()) {
                    result = result.add(new Gtid(entry.getKey(), n));
                }
            }
            return result;
        }

        /** The canonical text computed straight from the model, independently of GtidSet's own formatting. */
        private String modelText(Map<UUID, TreeSet<Long>> model) {
            TreeMap<String, TreeSet<Long>> byText = new TreeMap<>();
            model.forEach((k, v) -> byText.put(k.toString(), v));
            List<String> entries = new ArrayList<>();
            byText.forEach((uuid, numbers) -> {
                StringBuilder entry = new StringBuilder(uuid);
                Long start = null;
                Long previous = null;
                for (long n : numbers) {
                    if (previous != null && n == previous + 1) {
                        previous = n;
                        continue;
                    }
                    if (start != null) {
                        entry.append(':').append(start).append(start.equals(previous) ? "" : "-" + previous);
                    }
                    start = n;
                    previous = n;
                }
                entry.append(':').append(start).append(start.equals(previous) ? "" : "-" + previous);
                entries.add(entry.toString());
            });
            return String.join(",", entries);
        }

        private boolean modelContains(Map<UUID, TreeSet<Long>> model, Gtid gtid) {
            TreeSet<Long> numbers = model.get(gtid.sourceId());
            return numbers != null && numbers.contains(gtid.transactionId());
        }

        private boolean modelContainsAll(Map<UUID, TreeSet<Long>> model, Map<UUID, TreeSet<Long>> other) {
            return other.entrySet().stream().allMatch(e -> model.containsKey(e.getKey())
                    && model.get(e.getKey()).containsAll(e.getValue()));
        }
    }
}

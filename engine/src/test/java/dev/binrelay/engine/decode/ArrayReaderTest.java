package dev.binrelay.engine.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ArrayReader} reads as the library's own stream does: the same random sequences of calls on the same random
 * bytes give the same values, positions and end-of-data failures from both. (peek, mark and fastSkip are left out:
 * the library's count its position and block inconsistently around them, and no rows or table-map decoder calls them.)
 */
class ArrayReaderTest {

    @Test
    void readsAsTheLibrarysStreamDoesUnderRandomCalls() throws IOException {
        Random random = new Random(20261205);
        int failures = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            // packed-number prefixes are rare in random bytes: plant some
            for (int i = 0; i < bytes.length; i += 1 + random.nextInt(8)) {
                if (random.nextInt(3) == 0) {
                    bytes[i] = (byte) (251 + random.nextInt(5));
                }
            }
            long seed = random.nextLong();
            List<String> expected = run(new ByteArrayInputStream(bytes), new Random(seed));
            List<String> actual = run(new ArrayReader(bytes), new Random(seed));
            if (!actual.equals(expected)) {
                assertThat(actual).as("round %d, bytes %s", round, Arrays.toString(bytes)).isEqualTo(expected);
            }
            if (expected.get(expected.size() - 1).startsWith("fails")) {
                failures++;
            }
        }
        assertThat(failures).as("rounds that reached the end of the data").isGreaterThan(200);
    }

    @Test
    void readsOnlyItsRangeOfALargerArray() throws IOException {
        byte[] bytes = {9, 1, 2, 3, 9};
        ArrayReader reader = new ArrayReader(bytes, 1, 4);
        assertThat(reader.available()).isEqualTo(3);
        assertThat(reader.readInteger(3)).isEqualTo(0x030201);
        assertThat(reader.getPosition()).isEqualTo(3);
        assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
    }

    /** A random sequence of the calls a decoder makes; each result, then how it ended. */
    private static List<String> run(ByteArrayInputStream in, Random random) {
        List<String> log = new ArrayList<>();
        try {
            for (int step = 0; step < 40; step++) {
                int length = random.nextInt(10);
                String result = switch (random.nextInt(15)) {
                    case 0 -> "read " + in.read();
                    case 1 -> "int " + in.readInteger(1 + random.nextInt(4));
                    case 2 -> "long " + in.readLong(1 + random.nextInt(8));
                    case 3 -> "bytes " + Arrays.toString(in.read(length));
                    case 4 -> "bits " + in.readBitSet(random.nextInt(20), random.nextBoolean());
                    case 5 -> "packed " + Objects.toString(in.readPackedNumber());
                    case 6 -> "packed int " + in.readPackedInteger();
                    case 7 -> "packed long " + in.readPackedLong();
                    case 8 -> "available " + in.available();
                    case 9 -> "length-encoded string " + in.readLengthEncodedString();
                    case 10 -> "skip " + in.skip(length);
                    case 11 -> "string " + in.readString(length);
                    case 12 -> {
                        byte[] target = new byte[length];
                        int read = in.read(target, 0, length);
                        yield "array " + read + " " + Arrays.toString(target);
                    }
                    case 13 -> {
                        // within the data: past its end the library's available() counts bytes that are not there
                        in.enterBlock(Math.min(random.nextInt(6) - 1, in.available()));
                        yield "block";
                    }
                    default -> {
                        in.skipToTheEndOfTheBlock();
                        yield "end of block";
                    }
                };
                log.add(result + " at " + in.getPosition());
            }
            log.add("ends");
        } catch (EOFException e) {
            log.add("fails EOF"); // the messages differ: the library's names its block
        } catch (IOException | RuntimeException e) {
            log.add("fails " + e.getClass().getSimpleName() + (e instanceof IOException ? " " + e.getMessage() : ""));
        }
        return log;
    }
}

package dev.binrelay.engine.decode;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes a statement's text from the source session's {@code character_set_client}. A QUERY event holds the bytes
 * the client sent, and its status names the client character set by a collation id; the target receives the text
 * from Connector/J in UTF-8, so the bytes are decoded here with the matching Java charset, strictly: bytes that are
 * not valid in that charset are an error, never a replacement character.
 *
 * <p>Collation ids are MySQL 8.0's ({@code information_schema.COLLATIONS}); they are fixed across versions. MySQL's
 * {@code latin1} is Windows-1252 with the five bytes Windows leaves undefined mapped to U+0081, U+008D, U+008F,
 * U+0090 and U+009D, decoded here exactly. The other legacy charsets use Java's tables of the same name.
 *
 * <p>Thread-safe.
 */
public final class ClientCharsets {
    /** MySQL charset name, Java charset name ("" when Java has none), collation ids. */
    private static final String[][] CHARSETS = {
            {"utf8mb4", "UTF-8", "45-46,224-247,255-271,273-275,277-294,296-298,300,303-323"},
            {"utf8mb3", "UTF-8", "33,76,83,192-215,223"},
            {"latin1", "", "5,8,15,31,47-49,94"},
            {"ascii", "US-ASCII", "11,65"},
            // A binary client sends bytes that become binary strings; as UTF-8 text they reach the target unchanged.
            {"binary", "UTF-8", "63"},
            {"big5", "Big5", "1,84"},
            {"cp1250", "windows-1250", "26,34,44,66,99"},
            {"cp1251", "windows-1251", "14,23,50-52"},
            {"cp1256", "windows-1256", "57,67"},
            {"cp1257", "windows-1257", "29,58,59"},
            {"cp850", "IBM850", "4,80"},
            {"cp852", "IBM852", "40,81"},
            {"cp866", "IBM866", "36,68"},
            {"cp932", "windows-31j", "95,96"},
            {"eucjpms", "x-eucJP-Open", "97,98"},
            {"euckr", "EUC-KR", "19,85"},
            {"gb18030", "GB18030", "248-250"},
            {"gb2312", "GB2312", "24,86"},
            {"gbk", "GBK", "28,87"},
            {"greek", "ISO-8859-7", "25,70"},
            {"hebrew", "ISO-8859-8", "16,71"},
            {"koi8r", "KOI8-R", "7,74"},
            {"koi8u", "KOI8-U", "22,75"},
            {"latin2", "ISO-8859-2", "2,9,21,27,77"},
            {"latin5", "ISO-8859-9", "30,78"},
            {"latin7", "ISO-8859-13", "20,41,42,79"},
            {"macce", "x-MacCentralEurope", "38,43"},
            {"macroman", "x-MacRoman", "39,53"},
            {"sjis", "Shift_JIS", "13,88"},
            {"tis620", "TIS-620", "18,89"},
            {"ujis", "EUC-JP", "12,91"},
            // No Java charset: armscii8, dec8, geostd8, hp8, keybcs2, swe7. Not allowed as client charsets by MySQL:
            // ucs2, utf16, utf16le, utf32.
            {"armscii8", "", "32,64"},
            {"dec8", "", "3,69"},
            {"geostd8", "", "92,93"},
            {"hp8", "", "6,72"},
            {"keybcs2", "", "37,73"},
            {"swe7", "", "10,82"},
    };
    private static final Map<Integer, String[]> BY_COLLATION = new HashMap<>();
    private static final char[] LATIN1 = mysqlLatin1();

    static {
        for (String[] charset : CHARSETS) {
            for (String range : charset[2].split(",")) {
                int dash = range.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                for (int id = from; id <= to; id++) {
                    BY_COLLATION.put(id, charset);
                }
            }
        }
    }

    private ClientCharsets() {
    }

    /**
     * The statement text.
     *
     * @param collation the character_set_client collation id from the QUERY event
     * @throws IllegalArgumentException naming the charset when it has no Java equivalent or the bytes are not valid
     *                                  in it
     */
    public static String decode(byte[] sql, int collation) {
        String[] charset = BY_COLLATION.get(collation);
        if (charset == null) {
            throw new IllegalArgumentException("character_set_client collation id " + collation
                    + " is not one binrelay knows");
        }
        if (charset[0].equals("latin1")) {
            char[] text = new char[sql.length];
            for (int i = 0; i < sql.length; i++) {
                text[i] = LATIN1[sql[i] & 0xFF];
            }
            return new String(text);
        }
        if (charset[1].isEmpty() || !Charset.isSupported(charset[1])) {
            throw new IllegalArgumentException("character_set_client " + charset[0] + " (collation id " + collation
                    + ") has no Java charset to decode the statement with");
        }
        try {
            return Charset.forName(charset[1]).newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(sql)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the statement is not valid " + charset[0] + " text (character_set_client"
                    + " collation id " + collation + "): " + e, e);
        }
    }

    /** MySQL's latin1 (its cp1252 with the undefined bytes as the C1 controls of the same value). */
    private static char[] mysqlLatin1() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        CharBuffer decoded;
        try {
            decoded = Charset.forName("windows-1252").newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(all));
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e); // REPLACE never throws
        }
        char[] table = new char[256];
        for (int i = 0; i < 256; i++) {
            char c = decoded.get(i);
            table[i] = c == '\uFFFD' ? (char) i : c;
        }
        return table;
    }
}

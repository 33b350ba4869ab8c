package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every {@code --help} page of {@code phare}, rendered from the command tree {@link Main} builds: no picocli
 * warning, one string per paragraph, and lines that fit the width.
 *
 * <p>Why one string per paragraph: picocli prints each element of a {@code description}, {@code header} or
 * {@code footer} array on its own line and wraps each one alone, so a sentence cut over several elements comes out
 * as ragged half-lines at any width but the one it was cut for.
 */
class HelpPagesTest {
    /** The width a terminal has when nobody has widened it, and picocli's own when it cannot ask. */
    private static final int NARROW = 80;
    private static final int WIDE = 120;

    /** The tree as {@code phare} builds it, shared by the tests that only read it (building one takes a while). */
    private static final CommandLine PHARE = Main.commandLine();

    /** Trees of their own for a fixed width, so that the width does not leak into the other tests. */
    private static final Map<Integer, CommandLine> AT_WIDTH = Map.of(NARROW, atWidth(NARROW), WIDE, atWidth(WIDE));

    private static CommandLine atWidth(int width) {
        CommandLine line = Main.commandLine();
        line.setUsageHelpAutoWidth(false);
        line.setUsageHelpWidth(width);
        return line;
    }

    /** "phare", "phare crisis", "phare crisis sitrep", ...: every command and sub-command, aliases once. */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(PHARE, seen, names);
        return names.stream();
    }

    private static void collect(CommandLine line, Set<CommandLine> seen, List<String> names) {
        if (!seen.add(line)) {
            return;
        }
        names.add(line.getCommandSpec().qualifiedName());
        line.getSubcommands().values().forEach(sub -> collect(sub, seen, names));
    }

    private static CommandLine command(String qualifiedName) {
        return command(PHARE, qualifiedName);
    }

    private static CommandLine command(CommandLine root, String qualifiedName) {
        String[] path = qualifiedName.split(" ");
        CommandLine line = root;
        for (int i = 1; i < path.length; i++) {
            line = line.getSubcommands().get(path[i]);
        }
        return line;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    @DisplayName("the help renders without picocli printing a warning (an unescaped % is one)")
    void noWarning(String name) {
        assertThat(CommandLine.tracer().isWarn()).as("picocli's warnings are on (-Dpicocli.trace is not OFF)").isTrue();
        CommandLine line = command(name);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        PrintStream out = System.out;
        System.setErr(capture);
        System.setOut(capture);
        try {
            line.getUsageMessage(Ansi.OFF);
            line.usage(new PrintWriter(new StringWriter()), Ansi.OFF);
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("what picocli printed while rendering `%s --help`", name).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    @DisplayName("every paragraph of the description, header, footer and options is one string, not a sentence cut in pieces")
    void oneStringPerParagraph(String name) {
        List<String> cuts = new ArrayList<>();
        texts(command(name).getCommandSpec()).forEach((where, paragraphs) -> {
            for (int i = 0; i < paragraphs.length; i++) {
                String p = paragraphs[i];
                if (i < paragraphs.length - 1 && !endsParagraph(p)) {
                    cuts.add(where + " [" + i + "] ends mid-sentence: \"" + p + "\"");
                }
                if (i > 0 && !paragraphs[i - 1].isBlank() && !asWritten(p) && !p.isEmpty() && Character.isLowerCase(p.charAt(0))) {
                    cuts.add(where + " [" + i + "] goes on with the sentence before: \"" + p + "\"");
                }
            }
        });
        assertThat(cuts).as("`%s --help`: paragraphs cut in pieces", name).isEmpty();
    }

    /** Closes a sentence or opens a list, or is blank, or is a line printed as written. */
    private static boolean endsParagraph(String p) {
        return p.isBlank() || asWritten(p) || ".:)!?".indexOf(p.strip().charAt(p.strip().length() - 1)) >= 0;
    }

    /** An indented line (an example, a list item): laid out by hand. */
    private static boolean asWritten(String p) {
        return !p.isEmpty() && Character.isWhitespace(p.charAt(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    @DisplayName("lines laid out by hand (examples, list items) fit in 80 columns, so picocli never wraps them to the margin")
    void examplesFit(String name) {
        List<String> tooLong = new ArrayList<>();
        texts(command(name).getCommandSpec()).forEach((where, paragraphs) -> {
            for (String p : paragraphs) {
                if (asWritten(p) && p.length() > NARROW) {
                    tooLong.add(where + " (" + p.length() + " columns): \"" + p + "\"");
                }
            }
        });
        assertThat(tooLong).as("`%s --help`: indented lines wider than %d columns", name, NARROW).isEmpty();
    }

    /** Where each text of the help comes from ("description", "option --port", ...) and its paragraphs. */
    private static Map<String, String[]> texts(CommandSpec spec) {
        Map<String, String[]> texts = new LinkedHashMap<>();
        texts.put("description", spec.usageMessage().description());
        texts.put("header", spec.usageMessage().header());
        texts.put("footer", spec.usageMessage().footer());
        for (OptionSpec option : spec.options()) {
            texts.put("option " + option.longestName(), option.description());
        }
        for (ArgSpec parameter : spec.positionalParameters()) {
            texts.put("parameter " + parameter.paramLabel(), parameter.description());
        }
        return texts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    @DisplayName("the help adapts to the terminal's width")
    void autoWidth(String name) {
        assertThat(command(name).getCommandSpec().usageMessage().autoWidth()).as("usageHelpAutoWidth of %s", name).isTrue();
    }

    @ParameterizedTest(name = "{0} at 80 and 120 columns")
    @MethodSource("commands")
    @DisplayName("no line of the help is wider than the width it is rendered for")
    void fitsWidth(String name) {
        for (int width : new int[] {NARROW, WIDE}) {
            String help = command(AT_WIDTH.get(width), name).getUsageMessage(Ansi.OFF);
            List<String> tooWide = help.lines().filter(l -> l.length() > width && !unbreakable(l)).toList();
            assertThat(tooWide).as("`%s --help` at %d columns: lines wider than that", name, width).isEmpty();
        }
    }

    /** A line that is a single word (a long URL, say) cannot be wrapped: it is let through. */
    private static boolean unbreakable(String line) {
        return line.strip().indexOf(' ') < 0;
    }
}

package org.phare.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.phare.api.Document;
import org.phare.api.DrillReportFormat;
import org.phare.core.report.DrillReport;

/**
 * The exercise report as a PDF (A4, the standard fonts, text that a reader can search and copy), laid out from the same
 * sections as the Markdown and HTML reports: headings, paragraphs, bullets, and tables as one line per row. Written
 * with Apache PDFBox.
 */
final class DrillReportPdf {
    private static final float MARGIN = 50;
    private static final float SIZE = 9.5f;
    private static final float LEADING = 12.5f;

    private final PDDocument doc = new PDDocument();
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream page;
    private float y;

    private DrillReportPdf() {
    }

    static byte[] render(DrillReport report) throws IOException {
        DrillReportPdf pdf = new DrillReportPdf();
        try (PDDocument doc = pdf.doc) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(DrillReportFormat.title(report));
            info.setSubject("Exercise report (ISO 22301 8.5)");
            info.setCreator("phare");
            pdf.newPage();
            pdf.line(DrillReportFormat.title(report), pdf.bold, 15, 20);
            for (Document.Section s : DrillReportFormat.sections(report)) {
                pdf.y -= 6;
                pdf.line(s.title(), pdf.bold, 12, 16);
                for (Document.Block b : s.blocks()) {
                    switch (b) {
                        case Document.Text t -> pdf.paragraph(t.text(), "");
                        case Document.Bullets l -> l.items().forEach(i -> pdf.paragraph(i, "- "));
                        case Document.Table t -> {
                            if (!t.header().stream().allMatch(String::isEmpty)) {
                                pdf.wrapped(String.join(" | ", t.header()), pdf.bold, "");
                            }
                            for (List<String> row : t.rows()) {
                                pdf.wrapped(String.join(" | ", row), pdf.regular, "");
                            }
                        }
                    }
                }
            }
            pdf.page.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    private void newPage() throws IOException {
        if (page != null) {
            page.close();
        }
        PDPage p = new PDPage(PDRectangle.A4);
        doc.addPage(p);
        page = new PDPageContentStream(doc, p);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private void paragraph(String text, String prefix) {
        wrapped(text, regular, prefix);
    }

    private void wrapped(String text, PDType1Font font, String prefix) {
        try {
            float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
            for (String l : wrap(prefix + text, font, width)) {
                line(l, font, SIZE, LEADING);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void line(String text, PDType1Font font, float size, float leading) throws IOException {
        if (y - leading < MARGIN) {
            newPage();
        }
        y -= leading;
        page.beginText();
        page.setFont(font, size);
        page.newLineAtOffset(MARGIN, y);
        page.showText(printable(text, font));
        page.endText();
    }

    private static List<String> wrap(String text, PDType1Font font, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : printable(text, font).split(" ")) {
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (!current.isEmpty() && font.getStringWidth(candidate) / 1000 * SIZE > width) {
                lines.add(current.toString());
                current = new StringBuilder("    " + word);
            } else {
                current = new StringBuilder(candidate);
            }
        }
        lines.add(current.toString());
        return lines;
    }

    /** What the standard fonts can show: other characters become '?'. */
    private static String printable(String text, PDType1Font font) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            try {
                font.encode(ch);
                b.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                b.append(cp == '≥' ? ">=" : cp == '→' ? "->" : "?");
            }
        });
        return b.toString();
    }
}

package dev.tributary.pipelines.vectorsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

/** A PDF upload is bounded in bytes, pages and how far its streams decompress. */
class DocumentTextLimitsTest {
  private static final DocumentText.Limits SMALL = new DocumentText.Limits(200_000, 3, 1_000_000);

  @Test
  void a_pdf_within_the_limits_gives_its_text_and_pages() throws Exception {
    DocumentText.Extracted doc = DocumentText.fromPdf(pages(2), SMALL);
    assertThat(doc.pages()).isEqualTo(2);
    assertThat(doc.text()).contains("page 1").contains("page 2");
  }

  @Test
  void a_pdf_with_more_pages_than_allowed_is_refused_as_too_large() throws Exception {
    assertThatThrownBy(() -> DocumentText.fromPdf(pages(4), SMALL))
        .isInstanceOf(DocumentText.DocumentTooLarge.class)
        .hasMessageContaining("4 pages")
        .hasMessageContaining("at most 3");
  }

  @Test
  void a_pdf_larger_than_allowed_is_refused_before_it_is_parsed() {
    byte[] big = new byte[200_001];
    assertThatThrownBy(() -> DocumentText.fromPdf(big, SMALL))
        .isInstanceOf(DocumentText.DocumentTooLarge.class)
        .hasMessageContaining("200001 bytes");
  }

  @Test
  void a_small_pdf_whose_stream_inflates_past_the_limit_is_refused() throws Exception {
    byte[] bomb = bomb(20_000_000);
    assertThat(bomb.length).as("the compressed file").isLessThan(200_000);
    assertThatThrownBy(() -> DocumentText.fromPdf(bomb, SMALL))
        .isInstanceOf(DocumentText.DocumentTooLarge.class)
        .hasMessageContaining("decompress");
    // the same file within a generous limit is read: the refusal was the limit's
    assertThat(DocumentText.fromPdf(bomb, new DocumentText.Limits(200_000, 3, 64_000_000)).text())
        .contains("inflated");
  }

  private static byte[] pages(int n) throws Exception {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int i = 1; i <= n; i++) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
          s.beginText();
          s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          s.newLineAtOffset(20, 700);
          s.showText("page " + i);
          s.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  /** One page whose Flate content stream is tiny on disk and {@code inflated} bytes decoded. */
  private static byte[] bomb(int inflated) throws Exception {
    try (PDDocument doc = new PDDocument();
        ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      PDResources resources = new PDResources();
      COSName font = resources.add(new PDType1Font(Standard14Fonts.FontName.HELVETICA));
      page.setResources(resources);
      String text = "BT /" + font.getName() + " 12 Tf 20 700 Td (inflated) Tj ET\n";
      byte[] content = new byte[inflated];
      java.util.Arrays.fill(content, (byte) ' ');
      System.arraycopy(text.getBytes(), 0, content, 0, text.length());
      page.setContents(new PDStream(doc, new ByteArrayInputStream(content), COSName.FLATE_DECODE));
      doc.addPage(page);
      doc.save(out);
      return out.toByteArray();
    }
  }
}

package dev.tributary.pipelines.vectorsync;

import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** Text of an uploaded document (S3.6): PDFs through Apache PDFBox. */
public final class DocumentText {
  private DocumentText() {}

  /** The extracted text and page count of a PDF. */
  public record Extracted(String text, int pages) {}

  /** Thrown for bytes that are not a readable PDF, or a PDF with no text to embed. */
  public static final class UnreadableDocument extends RuntimeException {
    UnreadableDocument(String message) {
      super(message);
    }
  }

  public static Extracted fromPdf(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new UnreadableDocument("the upload is empty");
    }
    try (PDDocument doc = Loader.loadPDF(bytes)) {
      if (doc.isEncrypted()) {
        throw new UnreadableDocument("the PDF is encrypted");
      }
      String text = new PDFTextStripper().getText(doc).strip();
      if (text.isEmpty()) {
        throw new UnreadableDocument("the PDF has no extractable text (a scan needs OCR first)");
      }
      return new Extracted(text, doc.getNumberOfPages());
    } catch (IOException e) {
      throw new UnreadableDocument("not a readable PDF: " + e.getMessage());
    }
  }
}

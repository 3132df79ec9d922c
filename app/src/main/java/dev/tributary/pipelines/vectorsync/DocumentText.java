package dev.tributary.pipelines.vectorsync;

import dev.tributary.config.LimitsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Text of an uploaded document (S3.6): PDFs through Apache PDFBox, within {@link Limits}: the
 * upload's size, its page count, and how far its streams may decompress (PDFBox's stream cache is
 * bounded, so a small file that inflates to gigabytes stops at the limit instead of filling the
 * heap).
 */
public final class DocumentText {
  private DocumentText() {}

  /** The extracted text and page count of a PDF. */
  public record Extracted(String text, int pages) {}

  /** How big a PDF may be: bytes uploaded, pages, and bytes its streams decompress to. */
  public record Limits(long maxBytes, int maxPages, long maxDecodedBytes) {
    public static final Limits DEFAULTS = of(LimitsSettings.DEFAULTS);

    public static Limits of(LimitsSettings s) {
      return new Limits(s.pdfMaxBytes(), s.pdfMaxPages(), s.pdfMaxDecodedBytes());
    }
  }

  /** Thrown for bytes that are not a readable PDF, or a PDF with no text to embed. */
  public static class UnreadableDocument extends RuntimeException {
    UnreadableDocument(String message) {
      super(message);
    }
  }

  /** Thrown for a PDF past one of the {@link Limits}. */
  public static final class DocumentTooLarge extends UnreadableDocument {
    DocumentTooLarge(String message) {
      super(message);
    }
  }

  public static Extracted fromPdf(byte[] bytes) {
    return fromPdf(bytes, Limits.DEFAULTS);
  }

  public static Extracted fromPdf(byte[] bytes, Limits limits) {
    if (bytes == null || bytes.length == 0) {
      throw new UnreadableDocument("the upload is empty");
    }
    if (bytes.length > limits.maxBytes()) {
      throw new DocumentTooLarge(
          "the PDF has " + bytes.length + " bytes; at most " + limits.maxBytes() + " are taken");
    }
    MemoryUsageSetting memory = MemoryUsageSetting.setupMainMemoryOnly(limits.maxDecodedBytes());
    try (PDDocument doc = Loader.loadPDF(bytes, "", null, null, memory.streamCache)) {
      if (doc.isEncrypted()) {
        throw new UnreadableDocument("the PDF is encrypted");
      }
      int pages = doc.getNumberOfPages();
      if (pages > limits.maxPages()) {
        throw new DocumentTooLarge(
            "the PDF has " + pages + " pages; at most " + limits.maxPages() + " are taken");
      }
      checkDecodedSize(doc, limits.maxDecodedBytes());
      String text = new PDFTextStripper().getText(doc).strip();
      if (text.isEmpty()) {
        throw new UnreadableDocument("the PDF has no extractable text (a scan needs OCR first)");
      }
      return new Extracted(text, pages);
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Maximum allowed")) { // the stream cache's bound
        throw new DocumentTooLarge(
            "the PDF's streams decompress to more than "
                + limits.maxDecodedBytes()
                + " bytes, the most taken");
      }
      throw new UnreadableDocument("not a readable PDF: " + e.getMessage());
    }
  }

  /**
   * Decodes every stream text extraction may read (all but images, which it skips) and counts the
   * bytes, reading through and keeping none: past {@code limit} in all, the document is refused
   * before the extractor inflates it for real.
   */
  private static void checkDecodedSize(PDDocument doc, long limit) throws IOException {
    COSDocument cos = doc.getDocument();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (COSObjectKey key : new ArrayList<>(cos.getXrefTable().keySet())) {
      COSObject object = cos.getObjectFromPool(key);
      if (object != null
          && object.getObject() instanceof COSStream stream
          && !COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
        try (InputStream in = stream.createInputStream()) {
          for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            total += n;
            if (total > limit) {
              throw new DocumentTooLarge(
                  "the PDF's streams decompress to more than " + limit + " bytes, the most taken");
            }
          }
        }
      }
    }
  }
}

package dev.tributary.search;

import java.util.Arrays;

/** The k largest floats offered, in a min-heap. */
final class TopFloats {
  private final float[] heap;
  private int size;

  TopFloats(int k) {
    heap = new float[k];
  }

  void offer(float v) {
    if (size < heap.length) {
      int i = size++;
      heap[i] = v;
      while (i > 0 && heap[(i - 1) >>> 1] > heap[i]) {
        swap(i, (i - 1) >>> 1);
        i = (i - 1) >>> 1;
      }
    } else if (v > heap[0]) {
      heap[0] = v;
      int i = 0;
      while (true) {
        int l = 2 * i + 1;
        int r = l + 1;
        int m = i;
        if (l < size && heap[l] < heap[m]) {
          m = l;
        }
        if (r < size && heap[r] < heap[m]) {
          m = r;
        }
        if (m == i) {
          return;
        }
        swap(i, m);
        i = m;
      }
    }
  }

  private void swap(int a, int b) {
    float t = heap[a];
    heap[a] = heap[b];
    heap[b] = t;
  }

  boolean full() {
    return size == heap.length;
  }

  float min() {
    return heap[0];
  }

  float[] values() {
    return Arrays.copyOf(heap, size);
  }
}

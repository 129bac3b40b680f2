using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Text;

namespace NormNative;

/// <summary>The per-thread error message behind <c>normnative_last_error</c>.
/// <para>Memory: each thread that ever receives an error gets one pinned 1 KiB managed buffer,
/// allocated on its first failure and reused by every later failure on that thread; it is
/// reclaimed by the GC after the thread exits. That is the only library allocation that outlives
/// a call, it is bounded (1 KiB per thread) and it is never handed to the caller for freeing.
/// When the last call on the thread succeeded the pointer is a static empty string (read-only
/// data) — never NULL.</para></summary>
internal static unsafe class LastError
{
    private const int Capacity = 1024;

    [ThreadStatic] private static byte[]? t_buffer;
    [ThreadStatic] private static bool t_set;

    public static void Clear() => t_set = false;

    public static void Set(string message)
    {
        t_buffer ??= GC.AllocateArray<byte>(Capacity, pinned: true);
        // At most 3 UTF-8 bytes per UTF-16 unit (4 per surrogate pair): 340 units always fit with the NUL.
        ReadOnlySpan<char> text = message.AsSpan(0, Math.Min(message.Length, (Capacity - 1) / 3));
        if (text.Length > 0 && char.IsHighSurrogate(text[^1])) text = text[..^1];
        int n = Encoding.UTF8.GetBytes(text, t_buffer);
        t_buffer[n] = 0;
        t_set = true;
    }

    public static byte* Get()
    {
        if (!t_set || t_buffer is null) return Status.Ptr("\0"u8);
        return (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_buffer));
    }
}

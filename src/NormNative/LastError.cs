using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Text;

namespace NormNative;

/// <summary>The per-thread error message behind <c>normnative_last_error</c>. The text lives in
/// a pinned per-thread buffer (so the pointer handed to C stays valid until the thread's next
/// call), and an empty static string stands in when there is no error — never NULL.</summary>
internal static unsafe class LastError
{
    private const int Capacity = 1024;
    private static readonly byte* Empty = (byte*)NativeMemory.AllocZeroed(1);

    [ThreadStatic] private static byte[]? t_buffer;
    [ThreadStatic] private static bool t_set;

    public static void Clear() => t_set = false;

    public static void Set(string message)
    {
        t_buffer ??= GC.AllocateArray<byte>(Capacity, pinned: true);
        int n = Encoding.UTF8.GetBytes(message.AsSpan(0, Math.Min(message.Length, Capacity / 4 - 1)), t_buffer);
        t_buffer[n] = 0;
        t_set = true;
    }

    public static byte* Get()
    {
        if (!t_set || t_buffer is null) return Empty;
        return (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(t_buffer));
    }
}

using System.Runtime.InteropServices;
using NormManaged;

namespace NormNative;

/// <summary>Status codes (normnative.h NORMNATIVE_OK / NORMNATIVE_E_*) and their static texts.</summary>
internal static unsafe class Status
{
    public const int Ok = 0;
    public const int Internal = (int)NormError.Internal;

    private static readonly Dictionary<int, nint> Texts = Build();

    private static Dictionary<int, nint> Build()
    {
        var d = new Dictionary<int, nint>();
        void Add(int code, string s) => d[code] = Marshal.StringToCoTaskMemUTF8(s);
        Add(Ok, "success");
        Add((int)NormError.NullPointer, "a required pointer was NULL");
        Add((int)NormError.InvalidArgument, "invalid argument");
        Add((int)NormError.BadDType, "unknown or unsupported dtype");
        Add((int)NormError.BadAxis, "invalid axis");
        Add((int)NormError.BadOrd, "invalid norm order");
        Add((int)NormError.OutputMismatch, "output does not match the reduction");
        Add((int)NormError.Aliasing, "output overlaps input");
        Add((int)NormError.OutOfRange, "element outside the declared byte range");
        Add((int)NormError.EmptyReduction, "zero-size reduction has no identity");
        Add((int)NormError.NoConvergence, "SVD did not converge");
        Add((int)NormError.Internal, "internal error");
        Add(int.MinValue, "unknown status code");
        return d;
    }

    public static byte* Text(int status) => (byte*)(Texts.TryGetValue(status, out nint p) ? p : Texts[int.MinValue]);
}

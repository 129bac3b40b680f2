namespace NormNative;

/// <summary>Must agree with NORMNATIVE_VERSION_* and NORMNATIVE_ABI_VERSION in include/normnative.h
/// (a test checks this).</summary>
internal static class Version
{
    public const int Major = 0, Minor = 1, Patch = 0;
    public const uint Number = Major * 1000000 + Minor * 1000 + Patch;
    public const int Abi = 1;
    public const string String = "0.1.0";
    /// <summary><see cref="String"/> as a NUL-terminated UTF-8 literal (static data).</summary>
    public static ReadOnlySpan<byte> Utf8 => "0.1.0\0"u8;
}

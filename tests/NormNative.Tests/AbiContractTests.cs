using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace NormNative.Tests;

/// <summary>The published contract: pinned codes, header ↔ exports, per-thread messages, DLPack layout.</summary>
public unsafe class AbiContractTests
{
    /// <summary>The status codes as first published. They may gain new members, never change.</summary>
    private static readonly Dictionary<string, int> PinnedStatus = new()
    {
        ["NORMNATIVE_OK"] = 0, ["NORMNATIVE_E_NULL"] = -1, ["NORMNATIVE_E_INVALID"] = -2, ["NORMNATIVE_E_DTYPE"] = -3,
        ["NORMNATIVE_E_AXIS"] = -4, ["NORMNATIVE_E_ORD"] = -5, ["NORMNATIVE_E_OUTPUT"] = -6, ["NORMNATIVE_E_ALIAS"] = -7,
        ["NORMNATIVE_E_RANGE"] = -8, ["NORMNATIVE_E_EMPTY"] = -9, ["NORMNATIVE_E_CONVERGENCE"] = -10, ["NORMNATIVE_E_INTERNAL"] = -99,
    };

    private static readonly Dictionary<string, int> PinnedOther = new()
    {
        ["NORMNATIVE_BOOL"] = 1, ["NORMNATIVE_INT8"] = 2, ["NORMNATIVE_INT16"] = 3, ["NORMNATIVE_INT32"] = 4, ["NORMNATIVE_INT64"] = 5,
        ["NORMNATIVE_UINT8"] = 6, ["NORMNATIVE_UINT16"] = 7, ["NORMNATIVE_UINT32"] = 8, ["NORMNATIVE_UINT64"] = 9,
        ["NORMNATIVE_FLOAT16"] = 10, ["NORMNATIVE_FLOAT32"] = 11, ["NORMNATIVE_FLOAT64"] = 12, ["NORMNATIVE_COMPLEX64"] = 13,
        ["NORMNATIVE_COMPLEX128"] = 14, ["NORMNATIVE_LONGDOUBLE"] = 15, ["NORMNATIVE_CLONGDOUBLE"] = 16,
        ["NORMNATIVE_ORD_P"] = 0, ["NORMNATIVE_ORD_FRO"] = 1, ["NORMNATIVE_ORD_NUC"] = 2, ["NORMNATIVE_ALL_AXES"] = -1,
    };

    private static string IncludeDir()
    {
        string dir = AppContext.BaseDirectory;
        for (int i = 0; i < 8; i++, dir = Path.GetFullPath(Path.Combine(dir, "..")))
        {
            string d = Path.Combine(dir, "src", "NormNative", "include");
            if (Directory.Exists(d)) return d;
        }
        throw new DirectoryNotFoundException("src/NormNative/include");
    }

    private static Dictionary<string, int> Defines()
    {
        var d = new Dictionary<string, int>();
        foreach (string h in Directory.GetFiles(IncludeDir(), "*.h"))
            foreach (Match m in Regex.Matches(File.ReadAllText(h), @"#define\s+(NORMNATIVE_\w+)\s+\(?(-?\d+)u?\)?"))
                d[m.Groups[1].Value] = int.Parse(m.Groups[2].Value);
        return d;
    }

    [Fact]
    public void CodesArePinned()
    {
        var d = Defines();
        foreach (var (name, value) in PinnedStatus.Concat(PinnedOther))
        {
            Assert.True(d.ContainsKey(name), name);
            Assert.Equal(value, d[name]);
        }
        foreach (var (name, value) in PinnedStatus.Where(kv => kv.Key != "NORMNATIVE_OK"))
        {
            string text = Marshal.PtrToStringUTF8((nint)NativeLib.StatusString(value))!;
            Assert.NotEqual("unknown status code", text);
            Assert.NotEqual("", text);
        }
        Assert.Equal("unknown status code", Marshal.PtrToStringUTF8((nint)NativeLib.StatusString(-11)));
    }

    [Fact]
    public void EveryExportIsDeclaredAndEveryDeclarationExported()
    {
        var declared = new HashSet<string>();
        foreach (string h in Directory.GetFiles(IncludeDir(), "*.h"))
            foreach (Match m in Regex.Matches(File.ReadAllText(h), @"NORMNATIVE_API\s+[\w\s\*]+?\b(normnative_\w+)\s*\("))
                declared.Add(m.Groups[1].Value);
        Assert.Contains("normnative_vector_norm_dlpack", declared);
        foreach (string name in declared)
            Assert.True(NativeLibrary.TryGetExport(NativeLib.Handle, name, out _), $"{name} is declared but not exported");
        string lib = Environment.GetEnvironmentVariable("NORMNATIVE_LIBRARY") ?? "";
        if (!File.Exists(lib)) lib = Path.Combine(IncludeDir(), "..", "..", "..", "artifacts", "native", "linux-x64", "libnormnative.so");
        var psi = new ProcessStartInfo("nm", $"-D --defined-only \"{lib}\"") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        var exported = Regex.Matches(output, @"\sT\s+(normnative_\w+)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(exported);
        Assert.Empty(exported.Except(declared));
    }

    [Fact]
    public void MessagesArePerThreadAndNeverNull()
    {
        long shape = 3, stride = 8;
        double[] v = { 3, 4, 12 };
        fixed (double* p = v)
        {
            double r;
            var x = new CArray { Data = p, Shape = &shape, Strides = &stride, NDim = 1, DType = 12 };
            var o = new CArray { Data = &r, NDim = 0, DType = 12 };
            int bad = 9;
            Assert.Equal(-4, NativeLib.VectorNorm(&x, &bad, 1, 0, 2.0, &o, null));
            string mine = NativeLib.Message();
            Assert.Contains("axes[0]", mine);
            string other = "?";
            nint addr = (nint)p;
            var t = new Thread(() =>
            {
                other = NativeLib.Message();   // a fresh thread has no error: "" (not NULL)
                NativeLib.Norm((double*)addr, 3, 8, 2.0, out _);
            });
            t.Start(); t.Join();
            Assert.Equal("", other);
            Assert.Equal(mine, NativeLib.Message());   // another thread's success did not clear it
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DL
    {
        public void* Data; public int DeviceType, DeviceId, NDim; public byte Code, Bits; public ushort Lanes;
        public long* Shape; public long* Strides; public ulong ByteOffset;
    }

    [Fact]
    public void DlpackEntryPoint()
    {
        Assert.Equal(48, sizeof(DL));
        var f = (delegate* unmanaged<DL*, int*, int, int, double, CArray*, uint*, int>)NativeLibrary.GetExport(NativeLib.Handle, "normnative_vector_norm_dlpack");
        float[] a = { 0, 3, 4, 12 };
        long n = 3;
        float r = -1;
        fixed (float* p = a)
        {
            var t = new DL { Data = p, DeviceType = 1, NDim = 1, Code = 2, Bits = 32, Lanes = 1, Shape = &n, ByteOffset = 4 };
            var o = new CArray { Data = &r, NDim = 0, DType = 11 };
            Assert.Equal(0, f(&t, null, -1, 0, 2.0, &o, null));
            Assert.Equal(13f, r);
            t.DeviceType = 2;
            Assert.Equal(-2, f(&t, null, -1, 0, 2.0, &o, null));
            Assert.Contains("device_type", NativeLib.Message());
        }
    }
}

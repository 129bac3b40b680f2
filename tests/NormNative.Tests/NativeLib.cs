using System.Runtime.InteropServices;

namespace NormNative.Tests;

/// <summary>Layout twin of normnative_array, declared independently of the library's sources so
/// the tests check the ABI as a C caller sees it.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct CArray
{
    public void* Data;
    public long* Shape;
    public long* Strides;
    public int NDim;
    public int DType;
    public void* RangeBase;
    public long RangeLength;
}

/// <summary>The published libnormnative.so, loaded with NativeLibrary and called through
/// unmanaged function pointers. NORMNATIVE_LIBRARY names the file (build.sh sets it).</summary>
public static unsafe class NativeLib
{
    public static readonly nint Handle = Load();

    private static nint Load()
    {
        string? path = Environment.GetEnvironmentVariable("NORMNATIVE_LIBRARY");
        if (string.IsNullOrEmpty(path))
        {
            string root = AppContext.BaseDirectory;
            for (int i = 0; i < 8 && !File.Exists(Path.Combine(root, "build.sh")); i++) root = Path.GetFullPath(Path.Combine(root, ".."));
            path = Path.Combine(root, "artifacts", "native", "linux-x64", "libnormnative.so");
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"libnormnative.so not found at {path}; run ./build.sh build", path);
        return NativeLibrary.Load(path);
    }

    private static nint Sym(string name) => NativeLibrary.GetExport(Handle, "normnative_" + name);

    public static readonly delegate* unmanaged<uint> VersionNumber = (delegate* unmanaged<uint>)Sym("version_number");
    public static readonly delegate* unmanaged<int> AbiVersion = (delegate* unmanaged<int>)Sym("abi_version");
    public static readonly delegate* unmanaged<byte*> VersionString = (delegate* unmanaged<byte*>)Sym("version_string");
    public static readonly delegate* unmanaged<int, byte*> StatusString = (delegate* unmanaged<int, byte*>)Sym("status_string");
    public static readonly delegate* unmanaged<byte*> LastError = (delegate* unmanaged<byte*>)Sym("last_error");
    public static readonly delegate* unmanaged<CArray*, int*, int, int, double, CArray*, uint*, int> VectorNorm =
        (delegate* unmanaged<CArray*, int*, int, int, double, CArray*, uint*, int>)Sym("vector_norm");
    public static readonly delegate* unmanaged<CArray*, int, int, int, double, CArray*, uint*, int> MatrixNorm =
        (delegate* unmanaged<CArray*, int, int, int, double, CArray*, uint*, int>)Sym("matrix_norm");
    public static readonly delegate* unmanaged<int, int> SetNumThreads = (delegate* unmanaged<int, int>)Sym("set_num_threads");
    public static readonly delegate* unmanaged<int> GetNumThreads = (delegate* unmanaged<int>)Sym("get_num_threads");

    public static string Message() => Marshal.PtrToStringUTF8((nint)LastError()) ?? "<NULL>";

    /// <summary>2-norm of a strided float64 vector through the ABI; returns the status.</summary>
    public static int Norm(double* data, long n, long strideBytes, double p, out double result, uint* events = null)
    {
        long shape = n, stride = strideBytes;
        double r = double.NaN;
        var x = new CArray { Data = data, Shape = &shape, Strides = &stride, NDim = 1, DType = 12 };
        var o = new CArray { Data = &r, NDim = 0, DType = 12 };
        int st = VectorNorm(&x, null, -1, 0, p, &o, events);
        result = r;
        return st;
    }
}

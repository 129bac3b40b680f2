namespace NormManaged;

/// <summary>Why a norm could not be computed. The numeric values are the C ABI's status codes
/// (<c>NORMNATIVE_E_*</c>) and are pinned forever; 0 is success.</summary>
public enum NormError
{
    /// <summary>A required pointer was NULL.</summary>
    NullPointer = -1,
    /// <summary>An argument is malformed (ndim out of range, negative extent, size overflow, …).</summary>
    InvalidArgument = -2,
    /// <summary>Unknown or unsupported dtype code for this operation.</summary>
    BadDType = -3,
    /// <summary>An axis is out of range or repeated, or the wrong number of axes was given.</summary>
    BadAxis = -4,
    /// <summary>The norm order is not valid for this kind of norm.</summary>
    BadOrd = -5,
    /// <summary>The output descriptor does not match the reduction (shape or dtype).</summary>
    OutputMismatch = -6,
    /// <summary>The output overlaps the input.</summary>
    Aliasing = -7,
    /// <summary>An element lies outside the byte range the caller declared.</summary>
    OutOfRange = -8,
    /// <summary>A minimum (or, where asked, maximum) over zero elements has no value.</summary>
    EmptyReduction = -9,
    /// <summary>The singular value iteration did not converge (NaN in the input).</summary>
    NoConvergence = -10,
    /// <summary>A bug: an unexpected exception inside the library.</summary>
    Internal = -99,
}

/// <summary>The one exception NormManaged throws for bad input. It derives from
/// <see cref="ArgumentException"/> so .NET callers can treat it as one; <see cref="Error"/>
/// says precisely what went wrong and maps one-to-one onto the C ABI status.</summary>
public sealed class NormException : ArgumentException
{
    /// <summary>What went wrong.</summary>
    public NormError Error { get; }

    /// <summary>Creates the exception.</summary>
    public NormException(NormError error, string message) : base(message) => Error = error;
}

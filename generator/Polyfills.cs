// netstandard2.0 lacks the marker type the compiler needs for records and init accessors...
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }

    // ... and the two that make a type an interpolated string handler (SourceWriter.LineHandler).
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    internal sealed class InterpolatedStringHandlerAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    internal sealed class InterpolatedStringHandlerArgumentAttribute : Attribute
    {
        public InterpolatedStringHandlerArgumentAttribute(string argument) => Arguments = new[] { argument };

        public InterpolatedStringHandlerArgumentAttribute(params string[] arguments) => Arguments = arguments;

        public string[] Arguments { get; }
    }
}

namespace Specgen.Generator
{
    /// <summary>Method options netstandard2.0 does not name.</summary>
    internal static class JitOptions
    {
        /// <summary>
        /// <c>MethodImplOptions.AggressiveOptimization</c>: compiled fully optimized at once. For the
        /// loops that run over every line, node or output line of a large document in its first
        /// generation, which tiered compilation would otherwise run unoptimized for most of it.
        /// </summary>
        public const System.Runtime.CompilerServices.MethodImplOptions Optimized = (System.Runtime.CompilerServices.MethodImplOptions)512;
    }
}

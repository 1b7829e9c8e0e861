// netstandard2.0 only (see the project file): the attributes that C# features used by this library
// need from the framework. Internal, so no consumer ever sees a second copy of a System type.

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets <c>init</c> accessors and records compile.</summary>
    internal static class IsExternalInit
    {
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>The nullable flow attribute of <c>TryGet</c>-shaped methods.</summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    internal sealed class MaybeNullWhenAttribute(bool returnValue) : Attribute
    {
        public bool ReturnValue { get; } = returnValue;
    }

    /// <summary>The nullable flow attribute of <c>TryGet</c>-shaped methods.</summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    internal sealed class NotNullWhenAttribute(bool returnValue) : Attribute
    {
        public bool ReturnValue { get; } = returnValue;
    }
}

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets a parameter default to the text of another argument (<c>ThrowIfNull</c>).</summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    internal sealed class CallerArgumentExpressionAttribute(string parameterName) : Attribute
    {
        public string ParameterName { get; } = parameterName;
    }
}

namespace Specgen.Runtime;

/// <summary>
/// The error object a server sent, in the common <c>{"error": {"message", "type", "param", "code"}}</c>
/// envelope (OpenAI's and many others'). Members the server left out are <see langword="null"/>.
/// </summary>
public sealed class ApiError
{
    /// <summary>Creates an error body.</summary>
    public ApiError(string? message, string? type, string? param, string? code)
    {
        Message = message;
        Type = type;
        Param = param;
        Code = code;
    }

    /// <summary>The human-readable message.</summary>
    public string? Message { get; }

    /// <summary>The error category, such as <c>invalid_request_error</c>.</summary>
    public string? Type { get; }

    /// <summary>The request parameter the error is about, if any.</summary>
    public string? Param { get; }

    /// <summary>A machine-readable code, if any.</summary>
    public string? Code { get; }
}

using System;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ThreadsServer;

/// <summary>
/// A failure that is reported to the client as OpenAI's error envelope:
/// <c>{"error": {"message", "type", "param", "code"}}</c>.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException(int statusCode, string message, string? param, string type = ApiErrors.InvalidRequestError)
        : base(message)
    {
        StatusCode = statusCode;
        Param = param;
        Type = type;
    }

    public int StatusCode { get; }

    public string? Param { get; }

    public string Type { get; }
}

/// <summary>Factories for the errors the server reports, worded like the real API's.</summary>
internal static class ApiErrors
{
    public const string InvalidRequestError = "invalid_request_error";

    public static ApiException ThreadNotFound(string threadId) =>
        new(StatusCodes.Status404NotFound, $"No thread found with id '{threadId}'.", null);

    public static ApiException MessageNotFound(string messageId) =>
        new(StatusCodes.Status404NotFound, $"No message found with id '{messageId}'.", null);

    public static ApiException InvalidJson() =>
        new(StatusCodes.Status400BadRequest,
            "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, "
            + "but what was sent was not valid JSON.",
            null);

    public static ApiException MissingBody() =>
        new(StatusCodes.Status400BadRequest,
            "We could not parse the JSON body of your request. This endpoint expects a JSON object, "
            + "but the request had no body.",
            null);

    public static ApiException RunNotFound(string runId) =>
        new(StatusCodes.Status404NotFound, $"No run found with id '{runId}'.", null);

    public static ApiException StepNotFound(string stepId) =>
        new(StatusCodes.Status404NotFound, $"No run step found with id '{stepId}'.", null);

    public static ApiException Invalid(string? param, string message) =>
        new(StatusCodes.Status400BadRequest, message, param);

    public static ApiException MissingParameter(string param) =>
        new(StatusCodes.Status400BadRequest, $"Missing required parameter: '{param}'.", param);

    public static ApiException UnknownParameter(string param) =>
        new(StatusCodes.Status400BadRequest, $"Unrecognized request argument supplied: {param}", param);

    public static ApiException WrongType(string param, string expected, JsonValueKind actual) =>
        new(StatusCodes.Status400BadRequest,
            $"Invalid type for '{param}': expected {expected}, but got {Describe(actual)} instead.",
            param);

    public static ApiException UnsupportedValue(string param, string actual, params string[] supported) =>
        new(StatusCodes.Status400BadRequest,
            $"Invalid value: '{actual}'. Supported values are: {JoinQuoted(supported)}.",
            param);

    /// <summary>Writes the error envelope with the given status code.</summary>
    public static Task WriteAsync(HttpContext context, int statusCode, string message, string? param, string type, string? code = null) =>
        JsonShapes.RespondAsync(context, writer => JsonShapes.WriteError(writer, message, type, param, code), statusCode);

    /// <summary>How the real API names a JSON value's type in messages: "an object", "a string"...</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an unknown value",
    };

    private static string JoinQuoted(string[] values)
    {
        if (values.Length == 1)
        {
            return $"'{values[0]}'";
        }

        var head = string.Join(", ", Array.ConvertAll(values[..^1], v => $"'{v}'"));
        return values.Length == 2 ? $"{head} and '{values[^1]}'" : $"{head}, and '{values[^1]}'";
    }
}

using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

namespace Specgen.Runtime;

// Bodies that are not JSON, and cookies. Each body is turned into bytes (or a recipe) once, up
// front; ContentFactory makes a fresh HttpContent from it for every try, so a retry sends it again.
public sealed partial class ApiRequest
{
    private StringBuilder? _cookies;

    /// <summary>
    /// Makes the body of one try when it is not JSON (form, multipart, text or a file); null when
    /// there is none. Called once per try.
    /// </summary>
    internal Func<HttpContent>? ContentFactory { get; private set; }

    /// <summary>
    /// Sets an <c>application/x-www-form-urlencoded</c> body: the fields in order, each name and
    /// value percent-encoded (a space as <c>+</c>).
    /// </summary>
    /// <remarks><see cref="ValueEncoding.FormFields"/> turns a generated model into such fields.</remarks>
    public ApiRequest SetFormBody(IEnumerable<KeyValuePair<string, string>> fields)
    {
        if (fields is null)
        {
            throw new ArgumentNullException(nameof(fields));
        }

        var text = new StringBuilder();
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(FormEscape(field.Key)).Append('=').Append(FormEscape(field.Value ?? string.Empty));
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        ContentFactory = () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            return content;
        };
        return this;
    }

    /// <summary>
    /// Sets a <c>multipart/form-data</c> body. A body with no part (every member optional and
    /// unset) is not sent at all: a multipart message must have at least one part (RFC 2046), and
    /// an empty one is a part without the name RFC 7578 requires, which servers refuse.
    /// </summary>
    public ApiRequest SetMultipartBody(MultipartBody body)
    {
        if (body is null)
        {
            throw new ArgumentNullException(nameof(body));
        }

        ContentFactory = body.IsEmpty ? null : body.CreateContent;
        return this;
    }

    /// <summary>
    /// Sets the whole body to a file's bytes, with its <see cref="FileUpload.ContentType"/>, else
    /// <paramref name="contentType"/>.
    /// </summary>
    public ApiRequest SetFileBody(FileUpload file, string contentType)
    {
        if (file is null)
        {
            throw new ArgumentNullException(nameof(file));
        }

        ContentFactory = () => file.CreateContent(contentType, "body");
        return this;
    }

    /// <summary>Sets the whole body to <paramref name="text"/> in UTF-8, as <paramref name="contentType"/>.</summary>
    public ApiRequest SetTextBody(string text, string contentType)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text);
        ContentFactory = () =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
            return content;
        };
        return this;
    }

    /// <summary>
    /// Adds a cookie parameter to the request's <c>Cookie</c> header (<c>name=value; …</c>, the
    /// value percent-encoded); a <see langword="null"/> value adds nothing.
    /// </summary>
    /// <remarks>The header replaces a <c>Cookie</c> from <see cref="ApiClientOptions.DefaultHeaders"/>; like every header, it is never logged or put in a message.</remarks>
    public ApiRequest AddCookie(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _cookies ??= new StringBuilder();
        if (_cookies.Length > 0)
        {
            _cookies.Append("; ");
        }

        _cookies.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        _headers ??= new List<KeyValuePair<string, string>>();
        _headers.RemoveAll(header => string.Equals(header.Key, "Cookie", StringComparison.OrdinalIgnoreCase));
        _headers.Add(new KeyValuePair<string, string>("Cookie", _cookies.ToString()));
        return this;
    }

    /// <summary>Adds several query parameters in order (from <see cref="ValueEncoding.Pairs"/>).</summary>
    public ApiRequest AddQuery(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        if (pairs is null)
        {
            throw new ArgumentNullException(nameof(pairs));
        }

        foreach (KeyValuePair<string, string> pair in pairs)
        {
            AddQuery(pair.Key, pair.Value);
        }

        return this;
    }

    // The WHATWG form serializer: percent-encoding with '+' for a space.
    private static string FormEscape(string value) => Uri.EscapeDataString(value).Replace("%20", "+");
}

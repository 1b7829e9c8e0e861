using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Specgen.Runtime;

/// <summary>
/// The credentials of a client, one per security scheme of its spec. Each generated client whose
/// spec declares security schemes has a subclass (<c>{Client}Credentials</c>) with a typed property
/// per scheme, named after it; set the ones you have and pass the object as
/// <see cref="ApiClientOptions.Credentials"/>.
/// </summary>
/// <remarks>
/// <para>
/// For each call the pipeline takes the first of the operation's security requirements whose
/// schemes all have a credential here, and sends those credentials as the spec says (header, query,
/// cookie, <c>Authorization</c>). An operation whose spec says <c>security: []</c> sends none; an
/// operation none of whose requirements can be met fails with <see cref="MissingCredentialException"/>
/// before anything is sent.
/// </para>
/// <para>
/// <see cref="ToString"/> names the schemes that are set, never a value.
/// </para>
/// </remarks>
public abstract class ApiCredentials
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    /// <summary>Creates an empty set of credentials.</summary>
    protected ApiCredentials()
    {
    }

    /// <summary>The credential stored for the scheme named <paramref name="scheme"/>, or <see langword="null"/>.</summary>
    /// <typeparam name="T">The credential's type (<see cref="string"/>, <see cref="BasicCredential"/> or <see cref="TokenCredential"/>).</typeparam>
    /// <param name="scheme">The scheme's name in the spec.</param>
    protected T? Get<T>(string scheme)
        where T : class =>
        _values.TryGetValue(scheme, out object? value) ? value as T : null;

    /// <summary>Stores (or, with <see langword="null"/>, removes) the credential of the scheme named <paramref name="scheme"/>.</summary>
    /// <param name="scheme">The scheme's name in the spec.</param>
    /// <param name="value">A <see cref="string"/>, <see cref="BasicCredential"/> or <see cref="TokenCredential"/>.</param>
    /// <exception cref="ArgumentException">A string credential contains a line break, or the value is of another type.</exception>
    protected void Set(string scheme, object? value)
    {
        switch (value)
        {
            case null:
                _values.Remove(scheme);
                return;
            case string text:
                HeaderGuard.EnsureNoLineBreaks(text, scheme);
                break;
            case BasicCredential or TokenCredential:
                break;
            default:
                throw new ArgumentException($"A credential is a string, a BasicCredential or a TokenCredential, not a {value.GetType().Name}.", nameof(value));
        }

        _values[scheme] = value;
    }

    /// <summary>The credential of the scheme named <paramref name="scheme"/>, whatever its type.</summary>
    internal object? Find(string scheme) => _values.TryGetValue(scheme, out object? value) ? value : null;

    /// <summary>The values at this moment: the pipeline reads credentials once, like every other option.</summary>
    internal Dictionary<string, object> Snapshot() => new(_values, StringComparer.Ordinal);

    /// <summary>Names the schemes that have a credential; never a value.</summary>
    public override string ToString() =>
        $"{GetType().Name} {{ {(_values.Count == 0 ? "none set" : string.Join(", ", _values.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => k + " = (set)")))} }}";
}

/// <summary>A user name and password for HTTP basic authentication (<c>Authorization: Basic …</c>).</summary>
/// <remarks><see cref="ToString"/> shows the user name only.</remarks>
public sealed class BasicCredential
{
    /// <summary>Creates a basic credential.</summary>
    /// <param name="userName">The user name (Twilio: the account SID); it must not contain a colon, which separates it from the password.</param>
    /// <param name="password">The password (Twilio: the auth token).</param>
    /// <exception cref="ArgumentException">The user name contains a colon, or either value a line break.</exception>
    public BasicCredential(string userName, string password)
    {
        UserName = userName ?? throw new ArgumentNullException(nameof(userName));
        Password = password ?? throw new ArgumentNullException(nameof(password));
        if (userName.Contains(':'))
        {
            throw new ArgumentException("An HTTP basic user name cannot contain ':', which separates it from the password.", nameof(userName));
        }

        HeaderGuard.EnsureNoLineBreaks(userName, nameof(userName));
        HeaderGuard.EnsureNoLineBreaks(password, nameof(password));
    }

    /// <summary>The user name.</summary>
    public string UserName { get; }

    /// <summary>The password.</summary>
    public string Password { get; }

    /// <summary>The value of the <c>Authorization</c> header: <c>Basic</c> and the UTF-8 of <c>user:password</c> in base64.</summary>
    internal string HeaderValue() => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(UserName + ":" + Password));

    /// <summary>Shows the user name; never the password.</summary>
    public override string ToString() => $"BasicCredential {{ UserName = {UserName}, Password = (set) }}";
}

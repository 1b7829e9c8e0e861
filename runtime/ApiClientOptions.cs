using System;
using System.Collections.Generic;

namespace Specgen.Runtime;

/// <summary>
/// Settings shared by every request a generated client sends: where to send them, how to
/// authenticate, which headers to add, and how hard to try (timeouts and retries).
/// </summary>
/// <remarks>
/// <para>
/// The pipeline reads these settings once, when it is built; changing them afterwards does not
/// affect an existing client. <see cref="RequestOptions"/> overrides some of them for one call.
/// </para>
/// <para>
/// The API key and every credential are kept out of <see cref="ToString"/> and every exception
/// message; they only ever travel where the spec's security schemes put them.
/// </para>
/// </remarks>
public sealed class ApiClientOptions
{
    /// <summary>The default of <see cref="MaxRetries"/>: 2, so a call is sent at most 3 times.</summary>
    public const int DefaultMaxRetries = 2;

    /// <summary>The default of <see cref="RetryCountHeader"/>.</summary>
    public const string DefaultRetryCountHeader = "x-specgen-retry-count";

    /// <summary>The default of <see cref="Timeout"/>: 10 minutes per try.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The default of <see cref="InitialRetryDelay"/>: 0.5 seconds.</summary>
    public static readonly TimeSpan DefaultInitialRetryDelay = TimeSpan.FromSeconds(0.5);

    /// <summary>The default of <see cref="MaxRetryDelay"/>: 8 seconds.</summary>
    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(8);

    /// <summary>The default of <see cref="MaxRetryAfter"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultMaxRetryAfter = TimeSpan.FromSeconds(60);

    private string? _apiKey;
    private int _maxRetries = DefaultMaxRetries;
    private TimeSpan _timeout = DefaultTimeout;
    private TimeSpan _initialRetryDelay = DefaultInitialRetryDelay;
    private TimeSpan _maxRetryDelay = DefaultMaxRetryDelay;
    private TimeSpan _maxRetryAfter = DefaultMaxRetryAfter;
    private string? _retryCountHeader = DefaultRetryCountHeader;
    private string? _idempotencyHeader;
    private TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>
    /// The address requests are sent to, for example <c>https://api.openai.com/v1</c>. Operation
    /// paths are appended to it. When <see langword="null"/>, the first server of the spec is used.
    /// </summary>
    /// <remarks>
    /// A plain <c>http://</c> address is refused unless its host is a loopback address
    /// (<c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>) or <see cref="AllowInsecureHttp"/> is set:
    /// the API key and every request would otherwise cross the network in clear text.
    /// </remarks>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Allows a plain <c>http://</c> <see cref="BaseAddress"/> on a host that is not the local machine
    /// (for example a proxy inside a private network). Off by default.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// An API key: the credential of every API-key and HTTP bearer security scheme of the spec that
    /// <see cref="Credentials"/> does not supply, and for an operation whose spec declares no security
    /// at all, a bearer token (<c>Authorization: Bearer &lt;key&gt;</c>). Nothing is sent when <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// For the OpenAI API this is the whole story: its one scheme is an HTTP bearer key. A spec with
    /// several kinds of credentials (basic, OAuth 2, keys in the query …) is configured through the
    /// generated <c>{Client}Credentials</c> class instead.
    /// </remarks>
    /// <exception cref="ArgumentException">The key contains a carriage return or line feed.</exception>
    public string? ApiKey
    {
        get => _apiKey;
        set
        {
            HeaderGuard.EnsureNoLineBreaks(value, nameof(ApiKey));
            _apiKey = value;
        }
    }

    /// <summary>
    /// The credentials for the spec's security schemes: an instance of the generated
    /// <c>{Client}Credentials</c> class, with a typed property per scheme. Each operation sends the
    /// credentials its security requirement names (see <see cref="ApiCredentials"/>).
    /// </summary>
    /// <remarks>
    /// Read once, when the client is built, like every option. Mutual TLS is not configured here: give
    /// the client an <see cref="System.Net.Http.HttpClient"/> whose handler has the client certificate
    /// (<c>SocketsHttpHandler.SslOptions</c>, or <c>HttpClientHandler.ClientCertificates</c> on .NET Framework).
    /// </remarks>
    public ApiCredentials? Credentials { get; set; }

    /// <summary>
    /// Where to send the operations that the spec puts on a server of their own (a path item's or
    /// an operation's <c>servers</c>, such as an upload host), by that server's address as the spec
    /// writes it (variables filled with their defaults; the operation's documentation names it).
    /// Such operations go to the spec's server unless an entry here redirects them;
    /// <see cref="BaseAddress"/> only replaces the spec's default server.
    /// </summary>
    /// <remarks>Keys compare without a trailing slash and ignore case. The plain-http rule of <see cref="BaseAddress"/> applies to every address.</remarks>
    public IDictionary<string, Uri> ServerAddresses { get; } = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Headers added to every request, such as <c>OpenAI-Beta: assistants=v2</c>. Names compare
    /// case-insensitively; a per-request header of the same name wins.
    /// </summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How many times a failed try is repeated: after a connection failure, a timeout, or a
    /// retryable status (408, 409, 429, 5xx, or any status with <c>x-should-retry: true</c>).
    /// Default 2 (at most 3 tries); 0 turns retries off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "MaxRetries must be 0 or more.");
    }

    /// <summary>
    /// The time limit of each try, 10 minutes by default: from sending the request until the whole
    /// response has arrived (for a streamed response, until its headers have arrived).
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> removes the limit.
    /// </summary>
    /// <remarks>
    /// A try that runs out of time is retried like a connection failure; when no retry is left the
    /// call throws <see cref="ApiTimeoutException"/>. The <see cref="System.Net.Http.HttpClient.Timeout"/>
    /// of the client the pipeline sends with also applies (until the response headers arrive), so
    /// the shorter of the two wins; the pipeline's own shared client and the dependency-injection
    /// registration set that one to infinite so that this setting governs.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than infinite).</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = CheckTimeout(value, nameof(Timeout));
    }

    /// <summary>The wait before the first retry, doubled for each later one up to <see cref="MaxRetryDelay"/>; 0.5 s by default.</summary>
    /// <remarks>Each wait is then shortened by a random 0 to 25 % (jitter), so that many clients do not retry in step.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan InitialRetryDelay
    {
        get => _initialRetryDelay;
        set => _initialRetryDelay = CheckDelay(value, nameof(InitialRetryDelay));
    }

    /// <summary>The longest wait between two tries that the pipeline chooses itself; 8 s by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        set => _maxRetryDelay = CheckDelay(value, nameof(MaxRetryDelay));
    }

    /// <summary>
    /// The longest wait the server may ask for with <c>retry-after-ms</c> or <c>retry-after</c>
    /// (seconds or an HTTP date); 60 s by default.
    /// </summary>
    /// <remarks>
    /// A server delay up to this cap is waited exactly (no jitter). A larger one is not waited out:
    /// the call fails at once with the server's error, whose message says so, instead of blocking
    /// the caller for minutes or days.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxRetryAfter
    {
        get => _maxRetryAfter;
        set => _maxRetryAfter = CheckDelay(value, nameof(MaxRetryAfter));
    }

    /// <summary>
    /// The request header that carries the number of retries made before this try (<c>0</c> on the
    /// first try), <c>x-specgen-retry-count</c> by default; <see langword="null"/> sends none.
    /// </summary>
    /// <remarks>A header of the same name set by the caller is sent instead.</remarks>
    /// <exception cref="ArgumentException">The name contains a line break.</exception>
    public string? RetryCountHeader
    {
        get => _retryCountHeader;
        set
        {
            HeaderGuard.EnsureNoLineBreaks(value, nameof(RetryCountHeader));
            _retryCountHeader = value;
        }
    }

    /// <summary>
    /// The request header that carries an idempotency key, such as <c>Idempotency-Key</c>; none by
    /// default. When set, every call with a method other than GET, HEAD and OPTIONS gets a key,
    /// generated once per call and sent unchanged on each of its retries, so that a server which
    /// honours it performs the call at most once.
    /// </summary>
    /// <remarks>
    /// <see cref="RequestOptions.IdempotencyKey"/> supplies the key for one call; a header of the same
    /// name set by an operation parameter or <see cref="RequestOptions.Headers"/> is sent instead.
    /// </remarks>
    /// <exception cref="ArgumentException">The name contains a line break.</exception>
    public string? IdempotencyHeader
    {
        get => _idempotencyHeader;
        set
        {
            HeaderGuard.EnsureNoLineBreaks(value, nameof(IdempotencyHeader));
            _idempotencyHeader = value;
        }
    }

    /// <summary>
    /// The clock used for retry waits, per-try timeouts and <c>retry-after</c> dates;
    /// <see cref="TimeProvider.System"/> by default. Tests pass a fake one so that delays and
    /// timeouts happen without waiting.
    /// </summary>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    }

    /// <summary>
    /// The source of jitter, a number in [0, 1) per retry; <see langword="null"/> uses
    /// <c>Random.Shared</c>. Internal so that tests can make delays exact.
    /// </summary>
    internal Func<double>? JitterSource { get; set; }

    /// <summary>Returns a description that names the base address and retry settings but never the API key.</summary>
    public override string ToString() =>
        $"ApiClientOptions {{ BaseAddress = {(BaseAddress is null ? "(spec default)" : SafeAddress(BaseAddress))}, ApiKey = {(_apiKey is null ? "(none)" : "(set)")}, Credentials = {Credentials?.ToString() ?? "(none)"}, MaxRetries = {_maxRetries}, Timeout = {_timeout} }}";

    /// <summary>An address for messages: scheme, host, port and path, never user info (which can hold a password).</summary>
    internal static string SafeAddress(Uri address) =>
        !address.IsAbsoluteUri ? address.OriginalString
        : address.UserInfo.Length == 0 ? address.AbsoluteUri
        : address.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);

    internal static TimeSpan CheckTimeout(TimeSpan value, string name) =>
        value > TimeSpan.Zero || value == System.Threading.Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, or Timeout.InfiniteTimeSpan for no limit.");

    private static TimeSpan CheckDelay(TimeSpan value, string name) =>
        value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
}

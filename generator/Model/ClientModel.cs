using Specgen.Generator.Mapping;

namespace Specgen.Generator.Model;

/// <summary>The client class of one spec.</summary>
/// <param name="DefaultBaseAddress">The spec's first absolute server URL, or null when it has none.</param>
internal sealed record ClientModel(string Namespace, string Name, string? Description, string? DefaultBaseAddress, EquatableArray<OperationModel> Operations, EquatableArray<PollingModel> Pollers)
{
    public string HintName => $"{HintPrefix ?? Namespace}.{Name}.g.cs";

    /// <summary>See <see cref="SpecInput.HintPrefix"/>; null for the namespace.</summary>
    public string? HintPrefix { get; init; }

    /// <summary><c>public</c>, or <c>internal</c> when the spec's settings say so.</summary>
    public string Visibility { get; init; } = "public";

    /// <summary>The tags the document declares, for the documentation of the classes grouped by tag.</summary>
    public EquatableArray<TagModel> Tags { get; init; } = EquatableArray<TagModel>.Empty;

    /// <summary>
    /// With grouping by tag: a class per tag, reached through a property of the client, holding
    /// the operations whose first tag it is; <see cref="Operations"/> then holds the untagged ones.
    /// </summary>
    public EquatableArray<ClientGroupModel> Groups { get; init; } = EquatableArray<ClientGroupModel>.Empty;

    /// <summary>Whether the client uses a deprecated operation or type (see <see cref="TypeModel.UsesDeprecated"/>).</summary>
    public bool UsesDeprecated { get; init; }


    /// <summary>The security schemes the spec declares, in document order; empty when it declares none.</summary>
    public EquatableArray<SecuritySchemeModel> SecuritySchemes { get; init; } = EquatableArray<SecuritySchemeModel>.Empty;

    /// <summary>The generated class with a typed property per security scheme (<c>{Client}Credentials</c>); null when the spec declares no scheme.</summary>
    public string? CredentialsName { get; init; }

    /// <summary>The default server when its URL has variables: the client then gets a <c>ServerAddress(...)</c> method to fill them in.</summary>
    public ServerModel? VariableServer { get; init; }

    /// <summary>The names of the client class's private helpers (see <see cref="Mapping.MemberNaming.WithHelpers"/>).</summary>
    public ClassHelpers Helpers { get; init; } = ClassHelpers.None;

    /// <summary>The interface the client implements (<c>I{Name}</c>), so that users' tests can put a fake in its place.</summary>
    public string InterfaceName => MemberNaming.InterfaceOf(Name);

    /// <summary>The hint name of the credentials class's file.</summary>
    public string CredentialsHintName => $"{HintPrefix ?? Namespace}.{CredentialsName}.g.cs";
}

/// <summary>The kinds of security scheme (OpenAPI's <c>type</c>).</summary>
internal enum SecurityKind
{
    ApiKey,
    Http,
    OAuth2,
    OpenIdConnect,
    MutualTls,
}

/// <summary>A security scheme and the property of the credentials class that supplies it.</summary>
/// <param name="Name">The scheme's name in the spec.</param>
/// <param name="Property">The credentials class's property; null for mutual TLS, which the HttpClient's handler supplies.</param>
internal sealed record SecuritySchemeModel(string Name, SecurityKind Kind, string? Property, string? Description)
{
    /// <summary>For an API key: the header, query parameter or cookie name.</summary>
    public string? ParameterName { get; init; }

    /// <summary>For an API key: <c>Header</c>, <c>Query</c> or <c>Cookie</c> (the runtime's <c>ApiKeyLocation</c>).</summary>
    public string? Location { get; init; }

    /// <summary>For HTTP: the scheme in lower case (<c>bearer</c>, <c>basic</c> …).</summary>
    public string? HttpScheme { get; init; }

    /// <summary>For HTTP bearer: the spec's hint at the token's format (<c>JWT</c>), for the docs.</summary>
    public string? BearerFormat { get; init; }

    /// <summary>For OAuth 2: the token URL of the <c>clientCredentials</c> flow, when the spec declares that flow with an absolute URL.</summary>
    public string? TokenUrl { get; init; }

    /// <summary>For OAuth 2: the flows the spec declares, with their URLs, for the docs.</summary>
    public EquatableArray<string> Flows { get; init; } = EquatableArray<string>.Empty;

    /// <summary>For OpenID Connect: the discovery URL, for the docs.</summary>
    public string? OpenIdConnectUrl { get; init; }
}

/// <summary>One way to meet an operation's security: every scheme in it, each with the scopes it asks for. No scheme means anonymous access.</summary>
internal sealed record SecurityRequirementModel(EquatableArray<SchemeUseModel> Schemes);

/// <summary>A scheme named by a security requirement, with its scopes.</summary>
internal sealed record SchemeUseModel(string Scheme, EquatableArray<string> Scopes);

/// <summary>A server whose URL has variables (<c>https://{region}.example.com/{version}</c>).</summary>
internal sealed record ServerModel(string Url, string? Description, EquatableArray<ServerVariableModel> Variables);

/// <summary>A server variable: the method parameter that fills it, its default, and its enum type when it has allowed values.</summary>
internal sealed record ServerVariableModel(string Name, string Parameter, string Default, string? Description, string? EnumType);

/// <summary>The JSON type-info resolver of a client: every generated type, mapped to its converter.</summary>
/// <param name="Name">The resolver class (<c>{Client}JsonTypeInfoResolver</c>, a name the mappers keep free).</param>
internal sealed record ResolverModel(string Namespace, string ClientName, string Name, EquatableArray<string> TypeNames)
{
    public string HintName => $"{HintPrefix ?? Namespace}.{Name}.g.cs";

    /// <summary>See <see cref="SpecInput.HintPrefix"/>; null for the namespace.</summary>
    public string? HintPrefix { get; init; }

    /// <summary><c>public</c>, or <c>internal</c> when the spec's settings say so.</summary>
    public string Visibility { get; init; } = "public";

    /// <summary>Whether one of <see cref="TypeNames"/> is deprecated, which the resolver names.</summary>
    public bool UsesDeprecated { get; init; }
}

/// <summary>
/// The file of one tag's class of operations: the group, and the client it belongs to as far as
/// the class needs it (names, pollers, security; no operation of the client or of other groups),
/// so that editing one group's operations re-emits that group's file alone.
/// </summary>
internal sealed record GroupFileModel(ClientModel Client, ClientGroupModel Group);

/// <summary>A tag of the document and its description.</summary>
internal sealed record TagModel(string Name, string? Description);

/// <summary>The operations of one tag, as a class of their own (<c>client.Threads.CreateThreadAsync</c>).</summary>
/// <param name="Property">The client's property that returns the class.</param>
/// <param name="ClassName">The class, in the client's namespace.</param>
internal sealed record ClientGroupModel(string Tag, string Property, string ClassName, string? Description, EquatableArray<OperationModel> Operations)
{
    public bool UsesDeprecated { get; init; }

    /// <summary>The names of the class's private helpers (see <see cref="Mapping.MemberNaming.WithHelpers"/>).</summary>
    public ClassHelpers Helpers { get; init; } = ClassHelpers.None;

    /// <summary>The interface the class implements (<c>I{ClassName}</c>, a name the naming keeps free).</summary>
    public string InterfaceName => MemberNaming.InterfaceOf(ClassName);
}

/// <summary>
/// The private helpers of a class of operations: the nested classes that hold its operations'
/// error readers and security requirements as static values (null when no operation needs one),
/// and the field of each security scheme those requirements use.
/// </summary>
internal sealed record ClassHelpers(string? ErrorBodies, string? Security, EquatableArray<NamedField> SchemeFields)
{
    public static readonly ClassHelpers None = new(null, null, EquatableArray<NamedField>.Empty);
}

/// <summary>A field of a generated helper class and what it stands for (a security scheme's name in the spec).</summary>
internal sealed record NamedField(string Key, string Field);

internal enum ParameterIn
{
    Path,
    Query,
    Header,
    Cookie,
}

/// <summary>
/// How a parameter's value is spelled (OpenAPI's <c>style</c>); <see cref="Json"/> stands for a
/// parameter described by <c>content: application/json</c> instead of a schema.
/// </summary>
internal enum ParameterStyle
{
    Simple,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Label,
    Matrix,
    Json,
}

/// <summary>What travels in a body: JSON, form fields, multipart parts, a file's bytes or text.</summary>
internal enum ContentKind
{
    Json,
    Form,
    Multipart,
    File,
    Text,

    /// <summary>
    /// A response the spec declares as a bare JSON string: read as the string when the body is
    /// one, else as the body's text (specs use it for raw text, such as OpenAI's file content).
    /// </summary>
    JsonString,
}

/// <summary>One operation: one async method, its raw-response twin and, for paged lists, a pager.</summary>
internal sealed record OperationModel(
    string OperationId,
    string Name,
    string HttpMethod,
    string PathTemplate,
    EquatableArray<PathPart> Path,
    EquatableArray<ParameterModel> Parameters,
    BodyModel? Body,
    TypeRef? Response,
    PagerModel? Pager,
    string? Summary,
    string? Description,
    bool Deprecated)
{
    /// <summary>Set when the operation can answer <c>text/event-stream</c>: it also gets a <c>…StreamingAsync</c> method.</summary>
    public StreamModel? Stream { get; init; }

    /// <summary>The <see cref="PollingModel.Name"/> of the resource it returns, when that resource can be polled.</summary>
    public string? PollName { get; init; }

    /// <summary>
    /// How the success body is read: JSON into <see cref="Response"/>, <see cref="ContentKind.Text"/>
    /// into a string, <see cref="ContentKind.File"/> handed back as an open stream.
    /// </summary>
    public ContentKind ResponseKind { get; init; } = ContentKind.Json;

    /// <summary>
    /// The <c>Accept</c> header: the media types of the success responses that the client can read
    /// (after a versioning <c>Accept</c> parameter's value); null for plain <c>application/json</c>,
    /// which the runtime sends by default.
    /// </summary>
    public string? Accept { get; init; }

    /// <summary>
    /// For an operation without a body whose required <c>Content-Type</c> header parameter allows one
    /// value: that value, sent on an empty content (some APIs and mocks insist on it).
    /// </summary>
    public string? EmptyBodyContentType { get; init; }

    /// <summary>The operation's tags, in document order.</summary>
    public EquatableArray<string> Tags { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// The security requirements, any one of which will do: null when the spec declares none for
    /// the operation (nor for the document), empty for <c>security: []</c> (no credentials).
    /// </summary>
    public EquatableArray<SecurityRequirementModel>? Security { get; init; }

    /// <summary>The operation's own server (path item or operation <c>servers</c>, variables at their defaults, no trailing slash); null for the client's.</summary>
    public string? Server { get; init; }

    /// <summary>
    /// Whether <see cref="HttpMethod"/> is a static member of <c>System.Net.Http.HttpMethod</c> in the
    /// project's framework; PATCH is not on .NET Framework and .NET Standard 2.0 (see <see cref="TargetFeatures"/>).
    /// </summary>
    public bool HttpMethodIsBuiltIn { get; init; } = true;

    /// <summary>The error responses whose JSON body the spec declares, by status (<c>404</c>, <c>4XX</c>, <c>default</c>), in document order.</summary>
    public EquatableArray<ErrorResponseModel> Errors { get; init; } = EquatableArray<ErrorResponseModel>.Empty;

    /// <summary>The private method that builds the request of the JSON methods (<c>Build{Name}Request</c>); null for an operation that only streams.</summary>
    public string? RequestBuilder { get; init; }

    /// <summary>
    /// The private static field with the reader of a JSON response that has no converter of its own
    /// (an array, a map, a scalar, a model that may be missing), shared by every method that reads
    /// it; null when the response's converter reads it, or there is no JSON method.
    /// </summary>
    public string? ResponseReader { get; init; }

    /// <summary>Whether the JSON response needs a <see cref="ResponseReader"/>: its type has no <c>ReadValue</c> that fits.</summary>
    public bool ReadsWithLambda => ResponseKind == ContentKind.Json && Response is { } response
        && (response.Nullable || response.Kind is not (TypeKind.Object or TypeKind.Union or TypeKind.Enum));

    /// <summary>The field of <see cref="ClassHelpers.ErrorBodies"/> with this operation's error readers; null when it declares none.</summary>
    public string? ErrorReaders { get; init; }

    /// <summary>The field of <see cref="ClassHelpers.Security"/> with this operation's requirements; null when it declares none.</summary>
    public string? SecurityRequirements { get; init; }
}

/// <summary>An error response the spec declares: the status (<c>404</c>, <c>4XX</c> or <c>default</c>) and the type of its JSON body.</summary>
internal sealed record ErrorResponseModel(string Status, TypeRef Type);

/// <summary>An event stream: the union of its events and the body member that asks for streaming.</summary>
/// <param name="StreamFlagProperty">The C# name of the body's boolean <c>stream</c> member, sent as true by the streaming method (see <see cref="ObjectModel.StreamFlag"/>); null when there is none.</param>
internal sealed record StreamModel(TypeRef EventType, string? StreamFlagProperty, bool HasEndEvent)
{
    /// <summary>
    /// True when the SSE event name picks the variant of the event union (<c>{event, data}</c>
    /// envelopes); false when each event's data is the whole value (a stream of JSON chunks).
    /// </summary>
    public bool ByEventName { get; init; }
}

/// <summary>
/// A long-running resource marked with <c>x-specgen-polling</c>: how to tell it is done and how
/// to read it again.
/// </summary>
/// <param name="Name">Used in <c>Poll{Name}Async</c>.</param>
/// <param name="StatusAccess">The C# expression, on a value named <c>value</c>, that gives the status text.</param>
/// <param name="RefreshArguments">For each argument of the refresh operation in order, the C# property of the resource that supplies it.</param>
/// <param name="Parameter">The parameter of <c>Poll{Name}Async</c> that takes the resource as last seen.</param>
internal sealed record PollingModel(string Name, string Parameter, TypeRef Resource, string StatusAccess, EquatableArray<string> TerminalValues, string RefreshOperation, EquatableArray<string> RefreshArguments)
{
    /// <summary>With grouping by tag: the client's property of the class that holds the refresh operation; null for the client itself.</summary>
    public string? RefreshGroup { get; init; }
}

/// <summary>A literal piece of the path template, or the parameter that fills a <c>{placeholder}</c>.</summary>
internal sealed record PathPart(string Literal, string? ParameterName);

internal sealed record ParameterModel(string JsonName, string Name, ParameterIn In, TypeRef Type, bool Required, string? Description)
{
    /// <summary>For an array in the query: one <c>name=value</c> pair per item (true) or one comma-separated value.</summary>
    public bool Explode { get; init; } = true;

    /// <summary>How the value is spelled; the OpenAPI default for its location unless the spec says otherwise.</summary>
    public ParameterStyle Style { get; init; } = ParameterStyle.Form;

    /// <summary>The schema's <c>default</c> as JSON text (the value the server assumes when the parameter is left out), or null.</summary>
    public string? Default { get; init; }

    public bool Deprecated { get; init; }

    /// <summary>
    /// The only value a required header or query parameter allows (a single-valued <c>enum</c>, a
    /// <c>const</c>), as it goes on the wire: the client sends it, and it is not a method argument.
    /// </summary>
    public string? Constant { get; init; }

    /// <summary>
    /// For a parameter the spec requires but gives a <c>default</c>: that default as it goes on the
    /// wire, sent when the caller gives no value (the argument is optional).
    /// </summary>
    public string? SentDefault { get; init; }

    /// <summary>Whether the caller passes this parameter (every one but a <see cref="Constant"/>).</summary>
    public bool IsArgument => Constant is null;
}

/// <summary>The request body.</summary>
/// <param name="Type">The value passed: a model for JSON, form and multipart; a <see cref="TypeKind.Binary"/> file or a string otherwise.</param>
internal sealed record BodyModel(TypeRef Type, bool Required, string? Description)
{
    public ContentKind Kind { get; init; } = ContentKind.Json;

    /// <summary>
    /// The media type sent: for a file or text body, when the value names none; for a JSON body, the
    /// spec's own JSON type (<c>application/merge-patch+json</c>), or null for <c>application/json</c>.
    /// </summary>
    public string? ContentType { get; init; }

    /// <summary>For a JSON body the spec offers in several JSON media types: the generated enum of them, which the caller picks from.</summary>
    public string? ContentTypeChoice { get; init; }

    /// <summary>The method argument that takes the <see cref="ContentTypeChoice"/>.</summary>
    public string? ContentTypeArgument { get; init; }

    /// <summary>For a form or multipart body: the members the spec's <c>encoding</c> describes.</summary>
    public EquatableArray<FieldEncodingModel> Encodings { get; init; } = EquatableArray<FieldEncodingModel>.Empty;
}

/// <summary>
/// One entry of a body's <c>encoding</c>: for a form, how an array or object member is spelled
/// (<paramref name="Style"/> is a member of the runtime's <c>ValueStyle</c>); for multipart, the part's content type.
/// </summary>
internal sealed record FieldEncodingModel(string Name, string Style, bool Explode, string? ContentType);

/// <summary>How a paged list says where its next page is (see <c>Specgen.Runtime.Pager</c>).</summary>
internal enum PagingKind
{
    /// <summary>A cursor in the page (<c>next_cursor</c>, <c>has_more</c> + the last id) goes back as a parameter.</summary>
    Cursor,

    /// <summary>The page links to the next one: a URL in the body, or an RFC 8288 <c>Link</c> header.</summary>
    Link,

    /// <summary>An offset parameter moves by the number of items read.</summary>
    Offset,

    /// <summary>A page-number parameter moves by one.</summary>
    PageNumber,
}

/// <summary>
/// How to walk a paged list: where the items and the next position are in a page (paths of C#
/// member names from the page, read with <c>?.</c> past the first) and which argument moves.
/// </summary>
/// <param name="Items">The member path of the page's items; empty when the body is the array.</param>
/// <param name="Next">Cursor: the member with the next cursor (null: the last item's <paramref name="ItemId"/>); Link: the member with the next page's URL (null: the <c>Link</c> header).</param>
/// <param name="HasMore">Cursor: a boolean member that must be true for a next page; null when the cursor alone says it.</param>
/// <param name="ItemId">Cursor without a <paramref name="Next"/> member: the item's member whose value, on the last item, is the cursor.</param>
/// <param name="Parameter">The argument the next position goes into; null for links.</param>
/// <param name="Total">Offset and page number: the member with the number of items in the list, when there is one.</param>
/// <param name="TotalPages">Page number: the member with the number of pages, when there is one.</param>
/// <param name="FirstPage">Page number: how the API numbers its first page (1, or 0).</param>
/// <param name="Follows">Words for the docs on what the walk follows, as XML doc text.</param>
internal sealed record PagerModel(
    PagingKind Kind,
    TypeRef ItemType,
    EquatableArray<string> Items,
    EquatableArray<string>? Next,
    EquatableArray<string>? HasMore,
    string? ItemId,
    ParameterModel? Parameter,
    EquatableArray<string>? Total,
    EquatableArray<string>? TotalPages,
    long FirstPage,
    string Follows);

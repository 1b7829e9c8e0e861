using System.Collections.Generic;
using System.Linq;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>
/// The client class: per operation a typed method, its <c>…WithResponseAsync</c> twin that also
/// returns status and headers, and for paged lists an <c>…AutoPagingAsync</c> enumerable.
/// </summary>
internal static class ClientEmitter
{
    private const string Runtime = TypeSyntax.Runtime;
    private const string Task = "global::System.Threading.Tasks.Task";
    private const string Token = "global::System.Threading.CancellationToken";

    public static string Emit(ClientModel client)
    {
        string ns = client.Namespace;
        var scope = new Scope(client, Group: null);
        SourceWriter w = FileHeader.Start(ns, client.UsesDeprecated);
        w.Summary(client.Description, $"The {client.Name} API.");
        w.DocElement("<remarks>", "Thread-safe: share one instance. Every method throws <see cref=\"global::Specgen.Runtime.ApiException\"/>\n(or a subtype per status) when the server answers with an error.", "</remarks>");
        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{client.Visibility} sealed partial class {client.Name} : global::{ns}.{client.InterfaceName}");
        var api = new ClientInterface(ns, client.Name, client.InterfaceName);
        if (client.DefaultBaseAddress is { } server)
        {
            w.Summary(null, "The server address the spec declares; used when <see cref=\"global::Specgen.Runtime.ApiClientOptions.BaseAddress\"/> is not set.");
            w.Line($"public static readonly global::System.Uri DefaultBaseAddress = new global::System.Uri({Docs.Literal(server)});");
        }
        else
        {
            w.Summary(null, "The spec declares no absolute server address: <see cref=\"global::Specgen.Runtime.ApiClientOptions.BaseAddress\"/> must be set.");
            w.Line("public static readonly global::System.Uri? DefaultBaseAddress = null;");
        }

        if (client.VariableServer is { } variableServer)
        {
            EmitServerAddress(w, variableServer, ns);
        }

        w.Line();
        w.Line($"private readonly {Runtime}.ApiPipeline _pipeline;");
        w.Line();
        w.Summary(null, "Creates a client.");
        w.Line("/// <param name=\"options\">Base address, API key and default headers.</param>");
        w.Line("/// <param name=\"httpClient\">The client to send with (for example one from <c>IHttpClientFactory</c>); a shared one when null.</param>");
        w.Line($"public {client.Name}({Runtime}.ApiClientOptions options, global::System.Net.Http.HttpClient? httpClient = null)");
        w.Line($"    : this(new {Runtime}.ApiPipeline(options, DefaultBaseAddress, httpClient))");
        w.OpenBlock();
        w.CloseBlock();
        w.Line();
        w.Summary(null, "Creates a client that sends through an existing pipeline.");
        w.Line("/// <param name=\"pipeline\">The pipeline to send with.</param>");
        w.OpenBlock($"public {client.Name}({Runtime}.ApiPipeline pipeline)");
        w.Line("_pipeline = pipeline ?? throw new global::System.ArgumentNullException(nameof(pipeline));");
        foreach (ClientGroupModel group in client.Groups)
        {
            w.Line($"{group.Property} = new global::{ns}.{group.ClassName}(this);");
        }

        w.CloseBlock();
        w.Line();
        w.Summary(null, "The pipeline this client sends through.");
        w.Line($"public {Runtime}.ApiPipeline Pipeline => _pipeline;");
        foreach (ClientGroupModel group in client.Groups)
        {
            w.Line();
            w.Summary(null, $"The operations tagged <c>{Docs.Escape(group.Tag)}</c>.");
            w.Line($"public global::{ns}.{group.ClassName} {group.Property} {{ get; }}");
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line($"global::{ns}.{group.InterfaceName} global::{ns}.{client.InterfaceName}.{group.Property} => {group.Property};");
            api.AddProperty($"global::{ns}.{group.InterfaceName}", group.Property, $"The operations tagged <c>{Docs.Escape(group.Tag)}</c>.");
        }

        EmitMembers(w, scope, client.Operations, client.Helpers, api);
        foreach (PollingModel poller in client.Pollers)
        {
            EmitPoller(w, poller, scope, api);
        }

        w.CloseBlock();
        api.Emit(w, client.Visibility);
        return w.ToString();
    }

    /// <summary>A method that fills in the variables of the spec's server, for <c>ApiClientOptions.BaseAddress</c>.</summary>
    private static void EmitServerAddress(SourceWriter w, ServerModel server, string ns)
    {
        w.Line();
        w.Summary(server.Description is null ? null : $"{server.Description.TrimEnd('.')}: the address with its variables filled in.",
            $"The spec's server <c>{Docs.Escape(server.Url)}</c> with its variables filled in.");
        w.DocElement("<remarks>", $"Set the result as <see cref=\"{Runtime}.ApiClientOptions.BaseAddress\"/>;\neach variable left out takes the spec's default.", "</remarks>");
        foreach (ServerVariableModel variable in server.Variables)
        {
            w.Line($"/// <param name=\"{variable.Parameter.TrimStart('@')}\">{(variable.Description is { } d ? DocLine(d) + " " : string.Empty)}Default <c>{Docs.Escape(variable.Default)}</c>.</param>");
        }

        string[] parameters = server.Variables.Select(v => v.EnumType is { } type ? $"global::{ns}.{type}? {v.Parameter} = null" : $"string? {v.Parameter} = null").ToArray();
        w.OpenBlock("public static global::System.Uri ServerAddress", parameters);
        int position = 0;
        var parts = new List<string>();
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(server.Url, @"\{(?<name>[^{}]+)\}"))
        {
            if (match.Index > position)
            {
                parts.Add(Docs.Literal(server.Url.Substring(position, match.Index - position)));
            }

            ServerVariableModel? variable = server.Variables.FirstOrDefault(v => v.Name == match.Groups["name"].Value);
            parts.Add(variable is null ? Docs.Literal(match.Value)
                : variable.EnumType is null ? $"({variable.Parameter} ?? {Docs.Literal(variable.Default)})"
                : $"({variable.Parameter}?.Value ?? {Docs.Literal(variable.Default)})");
            position = match.Index + match.Length;
        }

        if (position < server.Url.Length)
        {
            parts.Add(Docs.Literal(server.Url.Substring(position)));
        }

        w.Line($"return new global::System.Uri({string.Join(" + ", parts)});");
        w.CloseBlock();
    }

    /// <summary>The hint name of a class of operations grouped by tag.</summary>
    public static string HintName(ClientModel client, ClientGroupModel group) => $"{client.HintPrefix ?? client.Namespace}.{group.ClassName}.g.cs";

    /// <summary>A class of the operations of one tag, reached through the client's property (<c>client.Threads</c>).</summary>
    public static string EmitGroup(ClientModel client, ClientGroupModel group)
    {
        string ns = client.Namespace;
        SourceWriter w = FileHeader.Start(ns, group.UsesDeprecated);
        w.Summary(group.Description, $"The operations tagged <c>{Docs.Escape(group.Tag)}</c>.");
        w.Line($"/// <remarks>Reached through <see cref=\"global::{ns}.{client.Name}.{group.Property}\"/>; sends through the client's pipeline.</remarks>");
        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{client.Visibility} sealed partial class {group.ClassName} : global::{ns}.{group.InterfaceName}");
        var api = new ClientInterface(ns, group.ClassName, group.InterfaceName);
        w.Line($"private readonly global::{ns}.{client.Name} _client;");
        w.Line($"private readonly {Runtime}.ApiPipeline _pipeline;");
        w.Line();
        w.OpenBlock($"internal {group.ClassName}(global::{ns}.{client.Name} client)");
        w.Line("_client = client;");
        w.Line("_pipeline = client.Pipeline;");
        w.CloseBlock();
        w.Line();
        w.Summary(null, "The client these operations belong to.");
        w.Line($"public global::{ns}.{client.Name} Client => _client;");
        EmitMembers(w, new Scope(client, group), group.Operations, group.Helpers, api);
        w.CloseBlock();
        api.Emit(w, client.Visibility);
        return w.ToString();
    }

    /// <summary>Where methods are emitted: the client itself, or the class of one tag.</summary>
    private sealed record Scope(ClientModel Client, ClientGroupModel? Group)
    {
        public string Namespace => Client.Namespace;

        /// <summary>How the code of this class calls a method of the class <paramref name="group"/> (a client property, or null for the client).</summary>
        public string Access(string? group, string member) =>
            group == Group?.Property ? member
            : Group is null ? $"{group}.{member}"
            : group is null ? $"_client.{member}"
            : $"_client.{group}.{member}";

        /// <summary>A <c>cref</c> to a member of the class <paramref name="group"/>.</summary>
        public string Cref(string? group, string member) =>
            group == Group?.Property ? member
            : $"global::{Namespace}.{(group is null ? Client.Name : Client.Groups.First(g => g.Property == group).ClassName)}.{member}";

        /// <summary>How this class names the static <c>Is{Name}Done</c> of the client.</summary>
        public string Done(PollingModel poller) => Group is null ? $"Is{poller.Name}Done" : $"global::{Namespace}.{Client.Name}.Is{poller.Name}Done";
    }

    private static void EmitMembers(SourceWriter w, Scope scope, EquatableArray<OperationModel> operations, ClassHelpers helpers, ClientInterface api)
    {
        // One JsonCode for the whole class, so that the patterns of every operation become fields.
        var code = new JsonCode(scope.Namespace);
        var security = new SecurityTable(scope.Client, operations, helpers);
        var errors = new ErrorTable(scope.Namespace, operations, helpers);
        foreach (OperationModel operation in operations)
        {
            EmitOperation(w, code, operation, scope, new RequestStatics(security.FieldOf(operation), errors.FieldOf(operation)), api);
        }

        code.EmitPatterns(w);

        security.Emit(w);
        errors.Emit(w);
    }

    /// <summary>The static values a request of one operation refers to: its security requirements and its error body readers.</summary>
    private sealed record RequestStatics(string? Security, string? Errors);

    /// <summary>
    /// The readers of the error bodies a class's operations declare, as static values in a nested
    /// class (<c>ErrorBodies.GetPet</c>), one per distinct set, named after its first operation.
    /// </summary>
    private sealed class ErrorTable
    {
        private readonly string _namespace;
        private readonly string? _className;
        private readonly List<(EquatableArray<ErrorResponseModel> Errors, string Field)> _sets = new();

        public ErrorTable(string ns, EquatableArray<OperationModel> operations, ClassHelpers helpers)
        {
            _namespace = ns;
            _className = helpers.ErrorBodies;
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (OperationModel operation in operations)
            {
                if (operation.ErrorReaders is { } field && seen.Add(field))
                {
                    _sets.Add((operation.Errors, field));
                }
            }
        }

        /// <summary>The expression of an operation's error readers (<c>ErrorBodies.GetPet</c>), or null when it declares none.</summary>
        public string? FieldOf(OperationModel operation) => operation.ErrorReaders is { } field ? $"{_className}.{field}" : null;

        public void Emit(SourceWriter w)
        {
            if (_className is null)
            {
                return;
            }

            w.Line();
            w.Summary(null, $"How to read the error bodies the spec declares for this class's operations, by status:\nthe result is <see cref=\"{Runtime}.ApiException.Body\"/>.");
            w.OpenBlock($"private static class {_className}");
            bool first = true;
            foreach ((EquatableArray<ErrorResponseModel> errors, string field) in _sets)
            {
                if (!first)
                {
                    w.Line();
                }

                first = false;
                w.Line($"public static readonly {Runtime}.ErrorBodyReader[] {field} =");
                w.OpenBlock();
                foreach (ErrorResponseModel error in errors)
                {
                    w.Wrapped($"new {Runtime}.ErrorBodyReader", new[] { Docs.Literal(error.Status), ErrorReader(error.Type, _namespace) }, ",");
                }

                w.CloseBlock(";");
            }

            w.CloseBlock();
        }
    }

    // A reader whose value is an object: a generated type's reader, or inline code for lists, maps and scalars.
    private static string ErrorReader(TypeRef type, string ns) => type.Kind is TypeKind.Object or TypeKind.Union or TypeKind.Enum && !type.Nullable
        ? $"static (ref {TypeSyntax.Json}.Utf8JsonReader reader) => {TypeSyntax.Converter(type, ns)}.ReadValue(ref reader)"
        : BodyReader(type with { Nullable = false }, ns);

    /// <summary>
    /// The security requirements of a class's operations, as static values in a nested class
    /// (<c>Security.ApiKeyAuth</c>), so that a request carries a reference instead of building them.
    /// </summary>
    private sealed class SecurityTable
    {
        private readonly ClientModel _client;
        private readonly string? _className;
        private readonly List<(SecuritySchemeModel Scheme, string Field)> _schemes = new();
        private readonly List<(EquatableArray<SecurityRequirementModel> Requirements, string Field)> _sets = new();

        public SecurityTable(ClientModel client, EquatableArray<OperationModel> operations, ClassHelpers helpers)
        {
            _client = client;
            _className = helpers.Security;
            foreach (NamedField field in helpers.SchemeFields)
            {
                _schemes.Add((client.SecuritySchemes.First(s => s.Name == field.Key), field.Field));
            }

            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (OperationModel operation in operations)
            {
                if (operation is { Security: { } set, SecurityRequirements: { } name } && seen.Add(name))
                {
                    _sets.Add((set, name));
                }
            }
        }

        /// <summary>The expression of an operation's requirements (<c>Security.ApiKeyAuth</c>), or null when it declares none.</summary>
        public string? FieldOf(OperationModel operation) => operation.SecurityRequirements is { } field ? $"{_className}.{field}" : null;

        public void Emit(SourceWriter w)
        {
            if (_className is null)
            {
                return;
            }

            w.Line();
            w.Summary(null, "The spec's security schemes, and the requirements of this class's operations: any one of a list will do, every scheme of one at once.");
            w.OpenBlock($"private static class {_className}");
            foreach ((SecuritySchemeModel scheme, string field) in _schemes)
            {
                (string method, string[] arguments) = CredentialsEmitter.SchemeExpression(scheme, _client);
                w.Wrapped($"private static readonly {Runtime}.SecurityScheme {field} = {method}", arguments, ";");
            }

            foreach ((EquatableArray<SecurityRequirementModel> set, string field) in _sets)
            {
                w.Line();
                if (set.Count == 0)
                {
                    w.Line($"public static readonly {Runtime}.SecurityRequirement[] {field} = global::System.Array.Empty<{Runtime}.SecurityRequirement>();");
                    continue;
                }

                w.Line($"public static readonly {Runtime}.SecurityRequirement[] {field} =");
                w.OpenBlock();
                foreach (SecurityRequirementModel requirement in set)
                {
                    w.Line(Requirement(requirement) + ",");
                }

                w.CloseBlock(";");
            }

            w.CloseBlock();
        }

        private string Requirement(SecurityRequirementModel requirement)
        {
            string schemes = string.Join(", ", requirement.Schemes.Select(u => _schemes.First(s => s.Scheme.Name == u.Scheme).Field));
            if (requirement.Schemes.All(u => u.Scopes.Count == 0))
            {
                return $"new {Runtime}.SecurityRequirement({schemes})";
            }

            string scopes = string.Join(", ", requirement.Schemes.Select(u => u.Scopes.Count == 0
                ? "global::System.Array.Empty<string>()"
                : $"new[] {{ {string.Join(", ", u.Scopes.Select(Docs.Literal))} }}"));
            return $"new {Runtime}.SecurityRequirement(new[] {{ {schemes} }}, new[] {{ {scopes} }})";
        }
    }

    private sealed record Argument(string Type, string Name, string? Default, string Doc);

    /// <summary>Required path, query and header parameters, the body, then optional ones.</summary>
    private static List<Argument> Arguments(OperationModel operation, string ns, bool forPager = false)
    {
        var required = new List<Argument>();
        var optional = new List<Argument>();
        foreach (ParameterModel p in operation.Parameters.Where(p => p.IsArgument))
        {
            string doc = p.Description is { } description ? DocLine(description) : $"The <c>{Docs.Escape(p.JsonName)}</c> {p.In.ToString().ToLowerInvariant()} parameter.";
            if (p.SentDefault is { } sent)
            {
                doc += $" When left out, <c>{Docs.Escape(sent)}</c> is sent (the spec requires the parameter and gives this default).";
            }
            else if (p.Default is { } defaultValue && !p.Required && !DefaultValues.Mentions(p.Description, defaultValue))
            {
                doc += $" When left out, the API assumes <c>{DefaultValues.Doc(defaultValue)}</c>.";
            }

            if (p.Deprecated)
            {
                doc += " Deprecated by the API.";
            }

            if (forPager && operation.Pager is { Parameter: { } moving } pager && p.Name == moving.Name)
            {
                doc = pager.Kind switch
                {
                    PagingKind.Offset => "Where to start: the offset of the first item; null for 0.",
                    PagingKind.PageNumber => $"Where to start: the number of the first page fetched; null for {pager.FirstPage}.",
                    _ when pager.ItemId is not null || moving.JsonName is "after" or "starting_after" => "Where to start: the id after which the first page begins; null for the beginning.",
                    _ => "Where to start: a cursor an earlier page gave; null for the first page.",
                };
            }

            if (p.Required)
            {
                required.Add(new Argument(TypeSyntax.Render(p.Type, ns), p.Name, null, doc));
            }
            else
            {
                optional.Add(new Argument(TypeSyntax.Render(p.Type, ns) + "?", p.Name, "null", doc));
            }
        }

        if (operation.Body is { } body)
        {
            string type = TypeSyntax.Render(body.Type, ns);
            string doc = body.Description is { } description ? DocLine(description) : "The request body.";
            if (body.Required)
            {
                required.Add(new Argument(type, "body", null, doc));
            }
            else
            {
                optional.Insert(0, new Argument(type + "?", "body", "null", doc));
            }

            if (body.ContentTypeChoice is { } choice)
            {
                optional.Insert(body.Required ? 0 : 1, new Argument($"global::{ns}.{choice}?", body.ContentTypeArgument!, "null", $"The media type to send the body as; <c>{Docs.Escape(body.ContentType ?? "application/json")}</c> when left out."));
            }
        }

        required.AddRange(optional);
        required.Add(new Argument($"{Runtime}.RequestOptions?", "options", "null", "Settings for this call only: headers, query parameters, timeout per try, retries, idempotency key."));
        required.Add(new Argument(Token, "cancellationToken", "default", "Cancels the call."));
        return required;
    }

    /// <summary>The parameter declarations, for <see cref="SourceWriter.OpenBlock(string, IReadOnlyList{string})"/>.</summary>
    private static string[] Declare(List<Argument> arguments) =>
        arguments.Select(a => a.Default is null ? $"{a.Type} {a.Name}" : $"{a.Type} {a.Name} = {a.Default}").ToArray();

    private static string Pass(List<Argument> arguments) => string.Join(", ", arguments.Select(a => a.Name));

    private static void EmitOperation(SourceWriter w, JsonCode code, OperationModel operation, Scope scope, RequestStatics statics, ClientInterface api)
    {
        string ns = scope.Namespace;
        List<Argument> arguments = Arguments(operation, ns);

        // An operation that only streams has no JSON method to offer.
        if (operation.RequestBuilder is { } builder)
        {
            EmitJsonMethods(w, code, operation, arguments, ns, builder, statics, api);
        }

        if (operation.Stream is { } stream)
        {
            EmitStreaming(w, code, operation, stream, arguments, ns, statics, api);
        }

        if (operation.Pager is { } pager)
        {
            EmitPager(w, operation, pager, ns, api);
        }

        if (operation.PollName is { } pollName && scope.Client.Pollers.FirstOrDefault(p => p.Name == pollName) is { } poller)
        {
            EmitAndPoll(w, operation, poller, arguments, scope, api);
        }
    }

    private static void EmitJsonMethods(SourceWriter w, JsonCode code, OperationModel operation, List<Argument> arguments, string ns, string createRequest, RequestStatics statics, ClientInterface api)
    {
        bool file = operation.ResponseKind == ContentKind.File;
        string? valueType = file ? "global::System.IO.Stream"
            : operation.Response is { } response ? TypeSyntax.Render(response, ns) + (response.Nullable ? "?" : string.Empty)
            : null;
        string responseType = file ? $"{Runtime}.StreamingResponse"
            : valueType is null ? $"{Runtime}.ApiResponse"
            : $"{Runtime}.ApiResponse<{valueType}>";

        // Both methods build the request before they return a task, so an argument that breaks the
        // spec throws from the call itself, and neither needs a state machine of its own.
        List<Argument> requestArguments = arguments.Take(arguments.Count - 2).ToList();
        string request = $"{createRequest}({Pass(requestArguments)})";
        string? reader = !file && operation.ResponseKind is not (ContentKind.Text or ContentKind.JsonString) && operation.Response is { } json
            ? operation.ResponseReader ?? BodyReader(json, ns)
            : null;
        string send = file ? "_pipeline.SendStreamingAsync"
            : operation.ResponseKind == ContentKind.Text ? "_pipeline.SendForTextAsync"
            : operation.ResponseKind == ContentKind.JsonString ? "_pipeline.SendForStringAsync"
            : "_pipeline.SendAsync";
        string[] sendArguments = reader is not null
            ? new[] { request, reader, "options", "cancellationToken" }
            : new[] { request, "options", "cancellationToken" };

        // The typed method.
        w.Line();
        Document(w, operation, arguments, valueType is null ? null
            : file ? "The response body as it arrives: read it, then dispose it to release the connection."
            : operation.Response!.Nullable ? "The response body; <see langword=\"null\"/> when the server answers without one (the spec declares a success with no content)."
            : reader is not null ? "The response body; <see langword=\"default\"/> only if a success comes without any body (a 204 the spec does not declare)."
            : "The response body.");
        MarkDeprecated(w, operation);
        api.OpenMethod(w, valueType is null ? $"{Task} {operation.Name}Async" : $"{Task}<{valueType}> {operation.Name}Async", Declare(arguments), operation.Deprecated);
        if (valueType is null)
        {
            // The response's task is the call's task; only the response's status and headers go unused.
            w.Wrapped("return " + send, sendArguments, ";");
        }
        else if (reader is not null)
        {
            w.Wrapped("return _pipeline.SendForValueAsync", new[] { request, reader, "options", "cancellationToken" }, ";");
        }
        else
        {
            // The runtime has no value-only send for text and files: the value is taken out here.
            string member = file ? "Body" : "Value";
            w.Wrapped($"return {member}Of({send}", sendArguments, ");");
            w.Line();
            w.Arrow($"static async {Task}<{valueType}> {member}Of", new[] { $"{Task}<{responseType}> response" }, $"(await response.ConfigureAwait(false)).{member};");
        }

        w.CloseBlock();

        // The raw-response twin: the typed method's docs but for what it returns.
        w.Line();
        w.Line($"/// <inheritdoc cref=\"{operation.Name}Async\"/>");
        w.Line(file
            ? "/// <returns>\n/// The response: status, headers, request id and the body as it arrives.\n/// Dispose it to release the connection; the timeout per try ends when the headers arrive.\n/// </returns>"
            : "/// <returns>The response: the body with status, headers and request id.</returns>");
        MarkDeprecated(w, operation);
        api.OpenMethod(w, $"{Task}<{responseType}> {operation.Name}WithResponseAsync", Declare(arguments), operation.Deprecated);
        w.Wrapped("return " + send, sendArguments, ";");
        w.CloseBlock();

        // What both share: the checks and the request.
        w.Line();
        w.Summary(null, $"Checks the arguments of <c>{Docs.Escape(operation.OperationId)}</c> against the spec and builds its request; throws before anything is sent.");
        w.OpenBlock($"private {Runtime}.ApiRequest {createRequest}", Declare(requestArguments.Select(a => a with { Default = null }).ToList()));
        EmitChecks(w, code, operation);
        if (operation.Stream?.StreamFlagProperty is { } flag && operation.Body is { } streamingBody)
        {
            // A body that asks for events would get an event stream these methods cannot read.
            w.OpenBlock(streamingBody.Required ? $"if (body.{flag} == true)" : $"if (body?.{flag} == true)");
            w.Line($"throw new global::System.ArgumentException(\"The body asks for a stream of events; call {operation.Name}StreamingAsync instead.\", nameof(body));");
            w.CloseBlock();
        }

        EmitRequest(w, operation, ns, statics);
        w.Line("return request;");
        w.CloseBlock();

        if (operation.ResponseReader is { } field)
        {
            // Written once, for every method that reads this response.
            w.Line();
            w.Summary(null, $"Reads the success body of <c>{Docs.Escape(operation.OperationId)}</c>.");
            string declaration = $"private static readonly {Runtime}.JsonValueReader<{valueType}> {field} =";
            string read = BodyReader(operation.Response!, ns);
            int firstLine = read.IndexOf('\n') is var end and >= 0 ? end : read.Length;
            w.Line(w.Fits(declaration.Length + 1 + firstLine) ? $"{declaration} {read};" : $"{declaration}\n    {string.Join("\n", read.Split('\n').Select(line => line.Length == 0 ? line : "    " + line)).TrimStart()};");
        }
    }

    /// <summary>Declares <c>request</c> and fills in path, query, headers, cookies and body.</summary>
    /// <param name="streaming">Whether the body is written with its stream flag true (<see cref="ObjectModel.StreamFlag"/>).</param>
    /// <param name="statics">The operation's security requirements and error body readers.</param>
    private static void EmitRequest(SourceWriter w, OperationModel operation, string ns, RequestStatics statics, bool streaming = false)
    {
        string method = operation.HttpMethodIsBuiltIn
            ? $"global::System.Net.Http.HttpMethod.{HttpMethodName(operation.HttpMethod)}"
            : $"new global::System.Net.Http.HttpMethod({Docs.Literal(operation.HttpMethod)})";
        w.Line($"var request = new {Runtime}.ApiRequest({method}, {Docs.Literal(operation.OperationId)});");
        if (statics.Security is { } security)
        {
            w.Line($"request.Security = {security};");
        }

        if (statics.Errors is { } errors)
        {
            w.Line($"request.ErrorBodies = {errors};");
        }

        if (operation.Server is { } server)
        {
            w.Line($"request.Server = {Docs.Literal(server)};");
        }

        foreach (PathPart part in operation.Path)
        {
            if (part.ParameterName is { } parameterName)
            {
                ParameterModel p = operation.Parameters.First(x => x.In == ParameterIn.Path && x.JsonName == parameterName);
                if (p.Style is ParameterStyle.Label or ParameterStyle.Matrix)
                {
                    w.Line($"request.AppendPath({Docs.Literal(p.Style == ParameterStyle.Label ? "." : ";" + p.JsonName + "=")});");
                }

                string value = IsScalar(p.Type) ? ToText(p, p.Name, required: true)
                    : p.Type.Kind == TypeKind.Array && IsScalar(p.Type.Element!) && !p.Type.Element!.Nullable ? Joined(p.Type.Element!, p.Name, ",", ns)
                    : $"{Runtime}.ValueEncoding.Simple({ToJson(p.Type, p.Name, ns)}, explode: {(p.Explode ? "true" : "false")}) ?? string.Empty";
                w.Wrapped("request.AppendPathParameter", new[] { Docs.Literal(p.JsonName), value }, ";");
            }
            else
            {
                w.Line($"request.AppendPath({Docs.Literal(part.Literal)});");
            }
        }

        foreach (ParameterModel p in operation.Parameters.Where(p => p.In != ParameterIn.Path))
        {
            EmitParameter(w, p, ns);
        }

        // The runtime sends application/json unless the operation reads something else.
        if ((streaming ? "text/event-stream" : operation.Accept) is { } accept)
        {
            w.Line($"request.AddHeader(\"Accept\", {Docs.Literal(accept)});");
        }

        if (operation.EmptyBodyContentType is { } emptyBodyType)
        {
            w.Line($"request.AddHeader(\"Content-Type\", {Docs.Literal(emptyBodyType)});");
        }

        if (operation.Body is { } body)
        {
            if (!body.Required)
            {
                w.OpenBlock("if (body is not null)");
            }

            EmitBody(w, body, ns, streaming);
            if (!body.Required)
            {
                w.CloseBlock();
            }
        }
    }

    /// <summary>The statement that puts the body on <c>request</c>, in the media type the spec chose.</summary>
    private static void EmitBody(SourceWriter w, BodyModel body, string ns, bool streaming)
    {
        string write = streaming
            ? $"static (writer, value) => {TypeSyntax.Converter(body.Type, ns)}.WriteValue(writer, value, streaming: true)"
            : BodyWriter(body.Type, ns);
        string value = body.Required ? "body" : JsonCode.ValueOf(body.Type, "body");
        string json = body.Type.Kind == TypeKind.Any ? value : $"{Runtime}.ValueEncoding.ToJson({value}, {write})";
        (string method, string[] arguments) = body.Kind switch
        {
            ContentKind.Form => ($"request.SetFormBody({Runtime}.ValueEncoding.FormFields", new[] { json, EncodingsArgument(body) }),
            ContentKind.Multipart => ($"request.SetMultipartBody({Runtime}.MultipartBody.FromJson", new[] { value, write, EncodingsArgument(body) }),
            ContentKind.File => ("request.SetFileBody", new[] { value, Docs.Literal(body.ContentType ?? "application/octet-stream") }),
            ContentKind.Text => ("request.SetTextBody", new[] { value, Docs.Literal(body.ContentType ?? "text/plain") }),
            _ when body.ContentTypeArgument is { } chosen => ("request.SetJsonBody", new[] { value, write, $"{chosen}?.Value ?? {Docs.Literal(body.ContentType ?? "application/json")}" }),
            _ when body.ContentType is { } contentType => ("request.SetJsonBody", new[] { value, write, Docs.Literal(contentType) }),
            _ => ("request.SetJsonBody", new[] { value, write }),
        };

        // Form and multipart bodies call the runtime's encoder inside the setter: both parentheses close at the end.
        w.Wrapped(method, arguments, body.Kind is ContentKind.Form or ContentKind.Multipart ? ");" : ";");
    }

    private static string EncodingsArgument(BodyModel body)
    {
        if (body.Encodings.Count == 0)
        {
            return "null";
        }

        // One encoding a line; the line breaks make the call that takes the array break its arguments too.
        IEnumerable<string> entries = body.Encodings.Select(e =>
            $"    new {Runtime}.FieldEncoding({Docs.Literal(e.Name)}, {Runtime}.ValueStyle.{e.Style}, {(e.Explode ? "true" : "false")}, {(e.ContentType is { } type ? Docs.Literal(type) : "null")}),");
        return $"new {Runtime}.FieldEncoding[]\n{{\n{string.Join("\n", entries)}\n}}";
    }

    /// <summary>
    /// A query, header or cookie parameter. Scalars and lists of scalars are spelled here; anything
    /// else (objects, maps, unions, lists of those) is written as JSON and spelled by the runtime's
    /// <c>ValueEncoding</c>, so that every shape follows one set of rules.
    /// </summary>
    private static void EmitParameter(SourceWriter w, ParameterModel p, string ns)
    {
        if (p.Constant is { } constant)
        {
            w.Line($"request.{AddMethod(p.In)}({Docs.Literal(p.JsonName)}, {Docs.Literal(constant)});");
            return;
        }

        if (p.SentDefault is { } sentDefault)
        {
            w.OpenBlock($"if ({p.Name} is null)");
            w.Line($"request.{AddMethod(p.In)}({Docs.Literal(p.JsonName)}, {Docs.Literal(sentDefault)});");
            w.CloseBlock();
            w.OpenBlock("else");
            EmitArgument(w, p, ns);
            w.CloseBlock();
            return;
        }

        EmitArgument(w, p, ns);
    }

    private static void EmitArgument(SourceWriter w, ParameterModel p, string ns)
    {
        bool simpleList = p.Type.Kind == TypeKind.Array && IsScalar(p.Type.Element!) && !p.Type.Element!.Nullable && p.Style != ParameterStyle.Json;
        if (IsScalar(p.Type) && p.Style != ParameterStyle.Json)
        {
            string value = p.In == ParameterIn.Query && p.Type.Kind is TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Boolean
                ? p.Name
                : ToText(p, p.Name, p.Required);
            w.Wrapped($"request.{AddMethod(p.In)}", new[] { Docs.Literal(p.JsonName), value }, ";");
            return;
        }

        if (!p.Required)
        {
            w.OpenBlock($"if ({p.Name} is not null)");
        }

        string present = p.Required ? p.Name : JsonCode.ValueOf(p.Type, p.Name);
        if (simpleList && p.In == ParameterIn.Query && p.Explode && p.Style is ParameterStyle.Form or ParameterStyle.SpaceDelimited or ParameterStyle.PipeDelimited)
        {
            // name=a&name=b: form exploded (the OpenAPI default), and exploded space or pipe lists.
            w.OpenBlock($"foreach ({TypeSyntax.RenderElement(p.Type.Element!, ns)} item in {present})");
            w.Line($"request.AddQuery({Docs.Literal(p.JsonName)}, {ToText(p.Type.Element!, "item", required: true)});");
            w.CloseBlock();
        }
        else if (simpleList && p.Style != ParameterStyle.DeepObject)
        {
            string separator = p.Style switch
            {
                ParameterStyle.SpaceDelimited => " ",
                ParameterStyle.PipeDelimited => "|",
                _ => ",",
            };
            w.Wrapped($"request.{AddMethod(p.In)}", new[] { Docs.Literal(p.JsonName), Joined(p.Type.Element!, present, separator, ns) }, ";");
        }
        else if (p.In == ParameterIn.Query)
        {
            w.Wrapped(
                $"request.AddQuery({Runtime}.ValueEncoding.Pairs",
                new[] { Docs.Literal(p.JsonName), ToJson(p.Type, present, ns), $"{Runtime}.ValueStyle.{ValueStyle(p.Style)}", $"explode: {(p.Explode ? "true" : "false")}" },
                ");");
        }
        else
        {
            string text = p.Style == ParameterStyle.Json
                ? $"{ToJson(p.Type, present, ns)}.GetRawText()"
                : $"{Runtime}.ValueEncoding.Simple({ToJson(p.Type, present, ns)}, explode: {(p.Explode ? "true" : "false")})";
            w.Wrapped($"request.{AddMethod(p.In)}", new[] { Docs.Literal(p.JsonName), text }, ";");
        }

        if (!p.Required)
        {
            w.CloseBlock();
        }
    }

    private static string AddMethod(ParameterIn location) => location switch
    {
        ParameterIn.Query => "AddQuery",
        ParameterIn.Cookie => "AddCookie",
        _ => "AddHeader",
    };

    private static string ValueStyle(ParameterStyle style) => style switch
    {
        ParameterStyle.SpaceDelimited => "SpaceDelimited",
        ParameterStyle.PipeDelimited => "PipeDelimited",
        ParameterStyle.DeepObject => "DeepObject",
        ParameterStyle.Json => "Json",
        _ => "Form",
    };

    /// <summary>A list of scalars as one string, items separated by <paramref name="separator"/>.</summary>
    private static string Joined(TypeRef element, string list, string separator, string ns) => element.Kind == TypeKind.String
        ? $"string.Join({Docs.Literal(separator)}, {list})"
        : $"string.Join({Docs.Literal(separator)}, global::System.Linq.Enumerable.Select({list}, static ({TypeSyntax.RenderElement(element, ns)} item) => {ToText(element, "item", required: true)}))";

    /// <summary>The value as a <c>JsonElement</c>, written by its generated writer.</summary>
    private static string ToJson(TypeRef type, string value, string ns) =>
        type.Kind == TypeKind.Any ? value : $"{Runtime}.ValueEncoding.ToJson({value}, {BodyWriter(type, ns)})";

    private static void EmitStreaming(SourceWriter w, JsonCode code, OperationModel operation, StreamModel stream, List<Argument> arguments, string ns, RequestStatics statics, ClientInterface api)
    {
        string eventType = TypeSyntax.Render(stream.EventType, ns);
        string? readEvent = stream.EventType.Kind switch
        {
            TypeKind.Union when stream.ByEventName => $"{TypeSyntax.Converter(stream.EventType, ns)}.ReadEvent",
            TypeKind.Object or TypeKind.Union => $"static serverSentEvent => {Runtime}.EventStream.ReadData(serverSentEvent, {TypeSyntax.Converter(stream.EventType, ns)}.ReadValue)",
            _ => null,
        };
        if (readEvent is null)
        {
            return;
        }

        w.Line();
        w.Summary(null, operation.Summary is null
            ? $"Calls <c>{operation.HttpMethod} {Docs.Escape(operation.PathTemplate)}</c> ({operation.OperationId}) and yields the server's events as they arrive."
            : $"{Docs.Escape(operation.Summary.TrimEnd('.'))}, yielding the server's events as they arrive.");
        w.Line("/// <remarks>");
        if (stream.StreamFlagProperty is { } flagProperty)
        {
            w.Line($"/// Sends the body with <c>{flagProperty}</c> true; the object passed in is left as it is, so it can be reused for the JSON method.");
        }

        w.Line(stream.HasEndEvent
            ? "/// The enumeration ends with the stream's end event; a stream that stops before it is an <see cref=\"global::Specgen.Runtime.EventStreamException\"/>."
            : "/// The enumeration ends when the server closes the stream.");
        w.Line("/// An event this version of the spec does not know is yielded as the unknown variant, with its raw data.");
        w.Line("/// Leaving the loop early closes the connection.");
        w.Line("/// </remarks>");
        foreach (Argument argument in arguments)
        {
            w.Line($"/// <param name=\"{argument.Name.TrimStart('@')}\">{argument.Doc}</param>");
        }

        w.Line("/// <exception cref=\"global::System.ArgumentException\">An argument breaks a constraint of the spec; nothing was sent.</exception>");
        w.Line($"/// <exception cref=\"{Runtime}.ApiException\">The server answered with an error status, or the stream broke.</exception>");
        MarkDeprecated(w, operation);
        api.OpenMethod(w, $"global::System.Collections.Generic.IAsyncEnumerable<{eventType}> {operation.Name}StreamingAsync", Declare(arguments), operation.Deprecated);
        EmitChecks(w, code, operation);
        if (stream.StreamFlagProperty is { } flag && operation.Body is { Required: false })
        {
            w.OpenBlock("if (body is null)");
            w.Line($"throw new global::System.ArgumentNullException(nameof(body), \"Streaming needs a body to send '{flag}' in.\");");
            w.CloseBlock();
        }

        EmitRequest(w, operation, ns, statics, streaming: stream.StreamFlagProperty is not null);
        w.Wrapped(
            $"return {Runtime}.EventStream.ReadAsync",
            new[] { "_pipeline", "request", readEvent, $"expectEndEvent: {(stream.HasEndEvent ? "true" : "false")}", "options", "cancellationToken" },
            ";");
        w.CloseBlock();
    }

    private static void EmitAndPoll(SourceWriter w, OperationModel operation, PollingModel poller, List<Argument> arguments, Scope scope, ClientInterface api)
    {
        string ns = scope.Namespace;
        string resource = TypeSyntax.Render(poller.Resource, ns);
        var withInterval = new List<Argument>(arguments);
        withInterval.Insert(withInterval.Count - 2, new Argument("global::System.TimeSpan?", "pollInterval", "null", "The wait between reads when the server does not say (<c>openai-poll-after-ms</c>); one second by default."));
        List<Argument> forCall = arguments;
        w.Line();
        w.Summary(null, $"{(operation.Summary is null ? $"Calls {operation.OperationId}" : Docs.Escape(operation.Summary.TrimEnd('.')))}, then reads the result again\nuntil {Terminal(poller)}.");
        w.DocElement("<remarks>", $"Each read is one <see cref=\"{scope.Cref(poller.RefreshGroup, poller.RefreshOperation + "WithResponseAsync")}\"/> call;\nsee <see cref=\"{scope.Cref(null, $"Poll{poller.Name}Async")}\"/>.", "</remarks>");
        foreach (Argument argument in withInterval)
        {
            w.Line($"/// <param name=\"{argument.Name.TrimStart('@')}\">{argument.Doc}</param>");
        }

        w.Line("/// <returns>The resource in its terminal status.</returns>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">An argument breaks a constraint of the spec; nothing was sent.</exception>");
        w.Line($"/// <exception cref=\"{Runtime}.ApiException\">The server answered with an error status or an unreadable body.</exception>");
        MarkDeprecated(w, operation);
        api.OpenMethod(w, $"{Task}<{resource}> {operation.Name}AndPollAsync", Declare(withInterval), operation.Deprecated, async: true);
        w.Wrapped($"{Runtime}.ApiResponse<{resource}> response = await {operation.Name}WithResponseAsync", forCall.Select(a => a.Name).ToArray(), ".ConfigureAwait(false);");
        w.Line($"response.Headers.TryGetValue({Runtime}.Poller.PollAfterHeader, out string? pollAfter);");
        w.Wrapped(
            $"return await {Runtime}.Poller.PollAsync",
            new[] { "response.Value", scope.Done(poller), Refresh(poller, scope), "pollInterval", "cancellationToken", "pollAfter", "timeProvider: _pipeline.TimeProvider" },
            ".ConfigureAwait(false);");
        w.CloseBlock();
    }

    private static void EmitPoller(SourceWriter w, PollingModel poller, Scope scope, ClientInterface api)
    {
        string ns = scope.Namespace;
        string resource = TypeSyntax.Render(poller.Resource, ns);
        string value = poller.Parameter;
        w.Line();
        w.Summary(null, $"Reads the {Docs.Escape(poller.Name)} again\nuntil {Terminal(poller)}, and returns it then.");
        w.DocElement(
            "<remarks>",
            $"Between reads it waits as long as the server's <c>openai-poll-after-ms</c> header says, else <paramref name=\"pollInterval\"/>,\non the clock of the client's <see cref=\"{Runtime}.ApiClientOptions.TimeProvider\"/>.\nEach read is one <see cref=\"{scope.Cref(poller.RefreshGroup, poller.RefreshOperation + "WithResponseAsync")}\"/> call.",
            "</remarks>");
        w.Line($"/// <param name=\"{value.TrimStart('@')}\">The {Docs.Escape(poller.Name)} as last seen; returned at once when it is already done.</param>");
        w.Line("/// <param name=\"pollInterval\">The wait between reads when the server does not say; one second by default.</param>");
        w.Line("/// <param name=\"options\">Headers and query parameters for each read.</param>");
        w.Line("/// <param name=\"cancellationToken\">Stops the polling.</param>");
        w.Line("/// <returns>The resource in its terminal status.</returns>");
        api.OpenMethod(
            w,
            $"{Task}<{resource}> Poll{poller.Name}Async",
            new[] { $"{resource} {value}", "global::System.TimeSpan? pollInterval = null", $"{Runtime}.RequestOptions? options = null", $"{Token} cancellationToken = default" },
            deprecated: false);
        w.OpenBlock($"if ({value} is null)");
        w.Line($"throw new global::System.ArgumentNullException(nameof({value}));");
        w.CloseBlock();
        w.Line();
        w.Wrapped(
            $"return {Runtime}.Poller.PollAsync",
            new[] { value, $"Is{poller.Name}Done", Refresh(poller, scope), "pollInterval", "cancellationToken", "timeProvider: _pipeline.TimeProvider" },
            ";");
        w.CloseBlock();
        w.Line();
        w.Summary(null, $"Whether the {Docs.Escape(poller.Name)}'s status is terminal: {string.Join(", ", poller.TerminalValues.Select(v => $"<c>{Docs.Escape(v)}</c>"))}.");
        w.Line("/// <param name=\"value\">The resource to look at.</param>");
        w.Arrow($"public static bool Is{poller.Name}Done({resource} value)", $"{poller.StatusAccess} is {string.Join(" or ", poller.TerminalValues.Select(Docs.Literal))};");
    }

    private static string Refresh(PollingModel poller, Scope scope)
    {
        string arguments = string.Concat(poller.RefreshArguments.Select(a => $"current.{a}, "));
        return $"(current, token) => {scope.Access(poller.RefreshGroup, poller.RefreshOperation + "WithResponseAsync")}({arguments}options: options, cancellationToken: token)";
    }

    private static string Terminal(PollingModel poller) =>
        "its status is " + string.Join(", ", poller.TerminalValues.Select(v => $"<c>{Docs.Escape(v)}</c>"));

    private static void EmitPager(SourceWriter w, OperationModel operation, PagerModel pager, string ns, ClientInterface api)
    {
        List<Argument> arguments = Arguments(operation, ns, forPager: true);
        string item = TypeSyntax.RenderElement(pager.ItemType, ns);
        TypeRef response = operation.Response!;
        string page = TypeSyntax.Render(response, ns) + (response.Nullable ? "?" : string.Empty);
        w.Line();
        w.Summary(null, operation.Summary is null ? "Every item of every page." : $"{Docs.Escape(operation.Summary.TrimEnd('.'))}: every item of every page.");
        w.DocElement("<remarks>", pager.Kind == PagingKind.Link
            ? $"Pages are fetched one at a time, as the enumeration reaches them, following {pager.Follows}:\nthe first page is one <see cref=\"{operation.Name}Async\"/> call, each next one a GET of the link."
            : $"Pages are fetched one at a time, as the enumeration reaches them, following {pager.Follows};\neach page is one <see cref=\"{operation.Name}Async\"/> call.", "</remarks>");
        foreach (Argument argument in arguments)
        {
            w.Line($"/// <param name=\"{argument.Name.TrimStart('@')}\">{argument.Doc}</param>");
        }

        MarkDeprecated(w, operation);
        api.OpenMethod(w, $"global::System.Collections.Generic.IAsyncEnumerable<{item}> {operation.Name}AutoPagingAsync", Declare(arguments), operation.Deprecated);
        if (pager.Kind == PagingKind.Link)
        {
            // Every page after the first is the link the last one gave, so the pager sends the requests.
            string root = "response.Value";
            string next = pager.Next is { } link ? Member(root, link, rootNullable: true) : $"{Runtime}.Pager.NextLink(response)";
            w.Line($"return {Runtime}.Pager.ByLinkAsync<{page}, {item}>(");
            w.Line("    _pipeline,");
            w.Line($"    {operation.RequestBuilder}({Pass(arguments.Take(arguments.Count - 2).ToList())}),");
            w.Line($"    {operation.ResponseReader ?? BodyReader(response, ns)},");
            w.Line($"    static response => ({Member(root, pager.Items, rootNullable: true)}, {next}),");
            w.Line("    options,");
            w.Line("    cancellationToken);");
            w.CloseBlock();
            return;
        }

        ParameterModel moving = pager.Parameter!;
        (string method, string position, string start) = pager.Kind switch
        {
            PagingKind.Offset => ("ByOffsetAsync", "nextOffset", moving.Required ? moving.Name : $"{moving.Name} ?? 0"),
            PagingKind.PageNumber => ("ByPageNumberAsync", "nextPage", moving.Required ? moving.Name : $"{moving.Name} ?? {pager.FirstPage}"),
            _ => ("ByCursorAsync", "nextCursor", moving.Name),
        };
        // A required cursor is never null in the walk: the caller's first, then only non-empty ones.
        string passed = pager.Kind != PagingKind.Cursor && moving.Type.Kind == TypeKind.Int32 ? $"(int){position}"
            : pager.Kind == PagingKind.Cursor && moving.Required ? position + "!"
            : position;
        string pass = Pass(arguments.Take(arguments.Count - 1).Select(a => a.Name == moving.Name ? a with { Name = passed } : a).ToList());
        string items = Member("listPage", pager.Items, response.Nullable);
        string describe = pager.Kind switch
        {
            PagingKind.Offset => $"{items}, {Optional("listPage", pager.Total, response.Nullable)}",
            PagingKind.PageNumber => $"{items}, {Optional("listPage", pager.TotalPages, response.Nullable)}, {Optional("listPage", pager.Total, response.Nullable)}",
            _ => $"{items}, {Cursor(pager, items, response.Nullable)}",
        };
        w.Line($"return {Runtime}.Pager.{method}<{page}, {item}>(");
        string fetch = $"{operation.Name}Async({pass}, pageCancellationToken),";
        string lambda = $"    ({position}, pageCancellationToken) =>";
        w.Line(w.Fits(lambda.Length + 1 + fetch.Length) ? $"{lambda} {fetch}" : $"{lambda}\n        {fetch}");
        w.Line($"    static listPage => ({describe}),");
        w.Line($"    {start},");
        if (pager.Kind == PagingKind.PageNumber)
        {
            w.Line($"    {pager.FirstPage},");
        }

        w.Line("    cancellationToken);");
        w.CloseBlock();
    }

    /// <summary>The cursor after a page: the member that holds it, or the last id while <c>has_more</c> says so.</summary>
    private static string Cursor(PagerModel pager, string items, bool pageNullable)
    {
        if (pager.HasMore is not { } hasMore)
        {
            return Member("listPage", pager.Next!.Value, pageNullable);
        }

        string more = Member("listPage", hasMore, pageNullable);
        if (pager.Next is { } next)
        {
            return $"{Runtime}.Pager.After({more}, {items}, {Member("listPage", next, pageNullable)})";
        }

        string access = pager.ItemType.Nullable ? "?." : ".";
        return $"{Runtime}.Pager.AfterLast({more}, {items}, static lastItem => lastItem{access}{pager.ItemId})";
    }

    private static string Optional(string root, EquatableArray<string>? path, bool rootNullable) =>
        path is { } members ? Member(root, members, rootNullable) : "null";

    /// <summary><c>root.A?.B?.C</c>: a chain of members from the page, any of which past the first may be missing.</summary>
    private static string Member(string root, EquatableArray<string> path, bool rootNullable)
    {
        if (path.Count == 0)
        {
            return root;
        }

        string first = (rootNullable ? "?." : ".") + path[0];
        return root + first + string.Concat(path.Skip(1).Select(name => "?." + name));
    }

    private static void EmitChecks(SourceWriter w, JsonCode code, OperationModel operation)
    {
        foreach (ParameterModel p in operation.Parameters.Where(p => p.IsArgument))
        {
            if (!JsonCode.NeedsValidation(p.Type))
            {
                continue;
            }

            string value = p.Required || !p.Type.IsValueType ? p.Name : p.Name + ".Value";
            if (!p.Required)
            {
                w.OpenBlock($"if ({p.Name} is not null)");
            }

            code.Validate(w, p.Type, value, "\"\"", Docs.Literal(p.JsonName), 0);
            if (!p.Required)
            {
                w.CloseBlock();
            }
        }

        if (operation.Body is { } body)
        {
            if (body.Required && !body.Type.IsValueType)
            {
                w.OpenBlock("if (body is null)");
                w.Line("throw new global::System.ArgumentNullException(nameof(body));");
                w.CloseBlock();
            }

            if (JsonCode.NeedsValidation(body.Type))
            {
                if (body.Required)
                {
                    code.Validate(w, body.Type, "body", "\"\"", "\"\"", 0);
                }
                else
                {
                    w.OpenBlock("if (body is not null)");
                    code.Validate(w, body.Type, JsonCode.ValueOf(body.Type, "body"), "\"\"", "\"\"", 0);
                    w.CloseBlock();
                }
            }
        }
    }

    /// <summary>A parameter as the string that goes on the wire.</summary>
    private static string ToText(ParameterModel p, string name, bool required) => ToText(p.Type, name, required);

    private static string ToText(TypeRef type, string name, bool required)
    {
        string value = required || !type.IsValueType ? name : name + ".Value";
        const string invariant = "global::System.Globalization.CultureInfo.InvariantCulture";
        string text = type.Kind switch
        {
            TypeKind.String => value,
            TypeKind.Enum => value + ".Value",
            TypeKind.DateTime => $"{value}.ToString(\"O\", {invariant})",
            TypeKind.UnixTime => $"{value}.ToUnixTimeSeconds().ToString({invariant})",
            TypeKind.Boolean => $"({value} ? \"true\" : \"false\")",
            TypeKind.Date => $"{value}.ToString(\"yyyy-MM-dd\", {invariant})",
            TypeKind.Uuid => $"{value}.ToString(\"D\")",
            TypeKind.Base64 => $"global::System.Convert.ToBase64String({value})",
            TypeKind.Double or TypeKind.Float => $"{value}.ToString(\"R\", {invariant})",
            _ => $"{value}.ToString({invariant})",
        };
        if (!required && type.Kind == TypeKind.Enum)
        {
            return $"{name}?.Value";
        }

        return required || type.Kind == TypeKind.String ? text : $"{name} is null ? null : {text}";
    }

    private static bool IsScalar(TypeRef type) => type.IsScalar;

    private static string BodyWriter(TypeRef type, string ns) => type.Kind switch
    {
        TypeKind.Object or TypeKind.Union or TypeKind.Enum => $"{TypeSyntax.Converter(type, ns)}.WriteValue",
        _ => $"static (writer, value) => {InlineWrite(type, ns)}",
    };

    private static string BodyReader(TypeRef type, string ns) => type.Kind switch
    {
        TypeKind.Object or TypeKind.Union or TypeKind.Enum when !type.Nullable => $"{TypeSyntax.Converter(type, ns)}.ReadValue",
        _ => $"static (ref {TypeSyntax.Json}.Utf8JsonReader reader) => {InlineRead(type, ns)}",
    };

    // Bodies that are not a generated type (an array, a map, a scalar) are read and written through
    // a throwaway JsonCode block wrapped in a lambda body.
    private static string InlineWrite(TypeRef type, string ns)
    {
        var w = new SourceWriter();
        w.OpenBlock();
        new JsonCode(ns).Write(w, type, "value", 0);
        w.CloseBlock();
        return w.ToString().TrimEnd('\n');
    }

    private static string InlineRead(TypeRef type, string ns)
    {
        var w = new SourceWriter();
        w.OpenBlock();
        w.Line($"{TypeSyntax.Render(type, ns)}{(type.Nullable ? "?" : string.Empty)} result;");
        new JsonCode(ns).Read(w, type, "result", "reader", type.Nullable, 0, "response");
        w.Line("return result;");
        w.CloseBlock();
        return w.ToString().TrimEnd('\n');
    }

    private static void Document(SourceWriter w, OperationModel operation, List<Argument> arguments, string? returns)
    {
        w.Summary(operation.Summary ?? operation.Description, $"Calls <c>{operation.HttpMethod} {Docs.Escape(operation.PathTemplate)}</c> ({operation.OperationId}).");
        var remarks = new List<string>();
        if (operation.Summary is not null && operation.Description is not null)
        {
            remarks.AddRange(Docs.Lines(operation.Description));
        }

        // What the client sends on its own, so that a reader of the wire is not surprised.
        List<ParameterModel> constants = operation.Parameters.Where(p => p.Constant is not null).ToList();
        if (constants.Count > 0)
        {
            remarks.Add("Sends " + string.Join(" and ", constants.Select(p => $"<c>{Docs.Escape(p.JsonName)}</c> = <c>{Docs.Escape(p.Constant!)}</c> in the {p.In.ToString().ToLowerInvariant()}"))
                + (constants.Count == 1 ? ", the only value the spec allows." : ", the only values the spec allows."));
        }

        if (operation.Server is { } server)
        {
            remarks.Add($"Sent to <c>{Docs.Escape(server)}</c>, the operation's own server, not to the base address;");
            remarks.Add($"<see cref=\"{Runtime}.ApiClientOptions.ServerAddresses\"/> redirects it.");
        }

        if (remarks.Count > 0)
        {
            w.Line("/// <remarks>");
            foreach (string line in remarks)
            {
                w.Line("/// " + line);
            }

            w.Line("/// </remarks>");
        }

        foreach (Argument argument in arguments)
        {
            w.Line($"/// <param name=\"{argument.Name.TrimStart('@')}\">{argument.Doc}</param>");
        }

        if (returns is not null)
        {
            w.Line($"/// <returns>{returns}</returns>");
        }

        w.Line("/// <exception cref=\"global::System.ArgumentException\">An argument breaks a constraint of the spec; nothing was sent.</exception>");
        w.DocElement($"<exception cref=\"{Runtime}.ApiException\">", "The server answered with an error status or an unreadable body." + ErrorBodiesDoc(operation), "</exception>");
        w.Line($"/// <exception cref=\"{Runtime}.ApiConnectionException\">The connection failed, on every try.</exception>");
        w.Line($"/// <exception cref=\"{Runtime}.ApiTimeoutException\">Every try took longer than its timeout.</exception>");
        w.Line("/// <exception cref=\"global::System.OperationCanceledException\"><paramref name=\"cancellationToken\"/> was cancelled.</exception>");
    }

    /// <summary>Which type <c>ApiException.Body</c> holds for each status the operation declares an error body for.</summary>
    private static string ErrorBodiesDoc(OperationModel operation)
    {
        if (operation.Errors.Count == 0)
        {
            return string.Empty;
        }

        IEnumerable<string> each = operation.Errors
            .GroupBy(e => e.Type)
            .Select(g => $"{(g.Key.Name is { } name && g.Key.Kind is TypeKind.Object or TypeKind.Union or TypeKind.Enum ? $"<c>{name}</c>" : "its JSON")} for {string.Join(", ", g.Select(e => e.Status))}");
        return $"\nIts <see cref=\"{Runtime}.ApiException.Body\"/> is the error body the spec declares:\n{string.Join("; ", each)}.";
    }

    private static void MarkDeprecated(SourceWriter w, OperationModel operation)
    {
        if (operation.Deprecated)
        {
            w.Line(FileHeader.Obsolete);
        }
    }

    /// <summary>Spec text as one escaped line, for a <c>param</c> tag.</summary>
    private static string DocLine(string text) => string.Join(" ", Docs.Lines(text).Select(l => l.Trim()).Where(l => l.Length > 0));

    private static string HttpMethodName(string method) => method switch
    {
        "GET" => "Get",
        "POST" => "Post",
        "PUT" => "Put",
        "DELETE" => "Delete",
        "PATCH" => "Patch",
        "HEAD" => "Head",
        "OPTIONS" => "Options",
        _ => "Trace",
    };
}

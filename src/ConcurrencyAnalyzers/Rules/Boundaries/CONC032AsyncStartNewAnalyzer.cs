using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConcurrencyAnalyzers.Rules.Boundaries;

/// <summary>
/// CONC032: <c>Task.Factory.StartNew</c> / <c>new TaskFactory().StartNew</c> with a delegate that returns a task (an async
/// lambda, a lambda or method group returning <c>Task</c>), whose <c>Task&lt;Task&gt;</c> is neither unwrapped nor awaited
/// twice: the outer task completes when the delegate returns its task, at its first <c>await</c>. A discarded result of a
/// call that chooses options or a scheduler is left alone (fire-and-forget on purpose: nobody waits for the outer task)
/// unless <c>LongRunning</c> wastes a thread. The fix is
/// <c>Task.Run</c> (which unwraps) for a plain call, <c>.Unwrap()</c> where options, a scheduler or a state object are
/// passed; offered where the result is discarded, awaited as a statement, returned as a task, or passed as one.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CONC032AsyncStartNewAnalyzer : ConcurrencyAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = DescriptorFactory.Create(
        RuleIds.AsyncStartNew,
        title: "Do not pass async delegates to Task.Factory.StartNew",
        messageFormat: "StartNew returns a Task<{0}> that completes at the delegate's first await, not when its work ends; use Task.Run or Unwrap()",
        RuleCategories.Boundaries,
        description: "Task.Factory.StartNew does not unwrap the task an async delegate returns: the Task<Task> it gives completes " +
                     "as soon as the delegate reaches its first await, so awaiting it neither waits for the work nor sees its " +
                     "exceptions. Task.Run unwraps; with options or a scheduler, call Unwrap(). TaskCreationOptions.LongRunning " +
                     "is wasted on an async delegate: its dedicated thread is given back at the first await.");

    public CONC032AsyncStartNewAnalyzer()
        : base(Descriptor)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext context, ConcurrencyAnalysis analysis) =>
        context.RegisterOperationAction(c => Analyze(c, analysis), OperationKind.Invocation);

    private void Analyze(OperationAnalysisContext context, ConcurrencyAnalysis analysis)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        if (method.Name != "StartNew" || !KnownSymbols.Eq(method.ContainingType?.OriginalDefinition, analysis.Symbols.Tasks.TaskFactory)
            || method.ReturnType is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } returned
            || !IsTask(returned.TypeArguments[0], analysis))
            return;
        if (IsUnwrapped(call))
            return;
        if (IsDiscarded(call) && ChoosesOptions(call) && !IsLongRunning(call))
            return; // fire-and-forget with options or a scheduler chosen on purpose: nobody waits for the outer task

        var inner = returned.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var properties = Plan(call, analysis) is { } kind ? new FixPlan(kind).Encode() : ImmutableDictionary<string, string?>.Empty;
        var location = call.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access }
            ? Location.Create(call.Syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(access.Name.SpanStart, call.Syntax.Span.End))
            : call.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, ImmutableArray.Create(call.Syntax.GetLocation()), properties, inner));
    }

    /// <summary>Fire-and-forget: a statement, <c>_ = …</c>, or <c>_ = ….ConfigureAwait(false)</c>.</summary>
    private static bool IsDiscarded(IOperation call)
    {
        var user = call.ParentThroughConversions();
        if (user is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance?.WalkDownConversions() == call)
            return configure.IsValueDiscarded();
        return call.IsValueDiscarded();
    }

    /// <summary>A <c>TaskCreationOptions</c> or <c>TaskScheduler</c> argument: the author chose <c>StartNew</c> for what <c>Task.Run</c> lacks.</summary>
    private static bool ChoosesOptions(IInvocationOperation call) =>
        call.Arguments.Any(a => a.Parameter?.Type.Name is "TaskCreationOptions" or "TaskScheduler");

    /// <summary>A <c>TaskCreationOptions</c> argument with <c>LongRunning</c> set.</summary>
    private static bool IsLongRunning(IInvocationOperation call) =>
        call.Arguments.Any(a => a.Parameter?.Type.Name == "TaskCreationOptions" && a.Value.ConstantValue is { HasValue: true, Value: int options } && (options & 2) != 0);

    private static bool IsTask(ITypeSymbol type, ConcurrencyAnalysis analysis) =>
        KnownSymbols.Eq(type.OriginalDefinition, analysis.Symbols.Tasks.Task) || KnownSymbols.Eq(type.OriginalDefinition, analysis.Symbols.Tasks.TaskOfT);

    /// <summary><c>.Unwrap()</c> on it, <c>await await</c> it, its inner task kept (<c>var inner = await outer;</c>), or a local that is one of those later.</summary>
    private static bool IsUnwrapped(IOperation result)
    {
        var user = result.ParentThroughConversions();
        if (user is IInvocationOperation { TargetMethod.Name: "Unwrap" } || user is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Unwrap" } })
            return true;
        if (AwaitOf(result) is { } outer && (AwaitOf(outer) is not null || outer.ParentThroughConversions() is IVariableInitializerOperation or ISimpleAssignmentOperation))
            return true; // await await, or the inner task awaited and kept (to await it later)
        if (user is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } })
        {
            var root = result.Ancestors().LastOrDefault() ?? result;
            return root.Descendants().OfType<ILocalReferenceOperation>().Where(r => KnownSymbols.Eq(r.Local, local)).Any(IsUnwrapped);
        }

        return false;
    }

    private static IAwaitOperation? AwaitOf(IOperation operation)
    {
        if (!operation.IsAwaited())
            return null;
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAwaitOperation awaited)
                return awaited;
        }

        return null;
    }

    /// <summary>
    /// <c>Task.Run</c> for <c>Task.Factory.StartNew(work[, token])</c> (or <c>new TaskFactory()</c>), <c>Unwrap</c> otherwise;
    /// none where the changed type of the result would not compile (its value used as <c>Task&lt;Task&gt;</c>).
    /// </summary>
    private static FixKind? Plan(IInvocationOperation call, ConcurrencyAnalysis analysis)
    {
        var user = call.ParentThroughConversions();
        var typeKept = user switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation } => true,
            IAwaitOperation awaited => awaited.Parent is IExpressionStatementOperation,
            // await Task.Factory.StartNew(async …).ConfigureAwait(false); as a statement: the awaited value is dropped.
            IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure => configure.ParentThroughConversions() is IAwaitOperation { Parent: IExpressionStatementOperation },
            IReturnOperation => call.Parent is IConversionOperation { Type: var type } && KnownSymbols.Eq(type, analysis.Symbols.Tasks.Task),
            IArgumentOperation { Parameter.Type: var parameter } => KnownSymbols.Eq(parameter, analysis.Symbols.Tasks.Task),
            _ => call.Parent is IConversionOperation { Type: var converted } && KnownSymbols.Eq(converted, analysis.Symbols.Tasks.Task),
        };
        if (!typeKept)
            return null;
        var plain = call.Instance?.WalkDownConversions() switch
        {
            IPropertyReferenceOperation { Property.Name: "Factory", Instance: null } => true,
            IObjectCreationOperation { Arguments.Length: 0 } => true,
            _ => false,
        };
        var onlyWorkAndToken = call.Arguments.All(a => a.Parameter?.Ordinal == 0 || KnownSymbols.Eq(a.Parameter?.Type, analysis.Symbols.Tasks.CancellationToken))
            && call.TargetMethod.Parameters[0].Type is INamedTypeSymbol { Name: "Func", TypeArguments.Length: 1 };
        return plain && onlyWorkAndToken ? FixKind.TaskRun : FixKind.Unwrap;
    }
}

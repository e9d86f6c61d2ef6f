using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace ConcurrencyAnalyzers.CodeFixes;

/// <summary>
/// Replaces a call with another call and awaits it: the async twin (<c>x.Read(b)</c> → <c>await x.ReadAsync(b, token)</c>),
/// <c>Thread.Sleep(x)</c> → <c>await Task.Delay(x, token)</c>, <c>handle.WaitOne(t)</c> → <c>await handle.WaitOneAsync(t, token)</c>.
/// A call written with <c>?.</c> keeps it: <c>x?.Write(b);</c> → <c>await (x?.WriteAsync(b) ?? Task.CompletedTask);</c> (one
/// evaluation of <c>x</c>, one line; an <c>if (x != null)</c> would evaluate a non-variable receiver twice).
/// </summary>
internal sealed class CallRewrite : Rewrite
{
    public CallRewrite(FixKind kind) => Kind = kind;

    public override FixKind Kind { get; }

    public override SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic) =>
        TargetAt(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true), diagnostic.Location.SourceSpan);

    /// <summary>The call at <paramref name="span"/> (<paramref name="found"/> or an ancestor); a <c>?.</c> call as its whole conditional access.</summary>
    internal static SyntaxNode? TargetAt(SyntaxNode found, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var call = found.FirstAncestorOrSelf<ExpressionSyntax>(n => n.Span == span);
        return call is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax, Parent: ConditionalAccessExpressionSyntax conditional } && conditional.WhenNotNull == call
            ? conditional
            : call;
    }

    public override bool CanApply(SyntaxNode target, SyntaxNode? operand, FixPlan plan, SemanticModel model, System.Threading.CancellationToken cancellationToken) =>
        target is ConditionalAccessExpressionSyntax { Parent: ExpressionStatementSyntax, WhenNotNull: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax } }
            ? Kind == FixKind.AwaitTwin && plan.Name is not null && plan.NullFallback is not null
            : target is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or SimpleNameSyntax } invocation
        && (Kind == FixKind.Delay || plan.Name is not null)
        && (Kind != FixKind.WaitOneAsync || invocation.Expression is MemberAccessExpressionSyntax); // an extension needs its receiver

    public override SyntaxNode Apply(SyntaxNode target, RewriteContext context)
    {
        var plan = context.Plan;
        if (target is ConditionalAccessExpressionSyntax { WhenNotNull: InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } whenNotNull } conditional)
        {
            var twinArguments = TwinArguments(whenNotNull.ArgumentList, plan);
            var twinCall = whenNotNull.WithExpression(binding.WithName(Rename(binding.Name, plan.Name!)))
                .WithArgumentList(plan.Token is not null && plan.TwinTakesToken
                    ? twinArguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(plan.Token)))
                    : twinArguments);
            var fallback = plan.NullFallback == "default"
                ? (ExpressionSyntax)SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression, SyntaxFactory.Token(SyntaxKind.DefaultKeyword))
                : QualifiedName(plan.NullFallback!, addImport: false);
            var coalesced = SyntaxFactory.BinaryExpression(SyntaxKind.CoalesceExpression, conditional.WithWhenNotNull(twinCall).WithoutTrivia(), fallback);
            ExpressionSyntax awaited = SyntaxFactory.ParenthesizedExpression(coalesced);
            if (context.ConfigureAwait)
                awaited = AwaitStyle.Configure(awaited);
            return SyntaxFactory.AwaitExpression(awaited).WithTriviaFrom(target);
        }

        var invocation = (InvocationExpressionSyntax)target;
        var arguments = Kind == FixKind.AwaitTwin ? TwinArguments(invocation.ArgumentList, plan) : invocation.ArgumentList;
        var passToken = plan.Token is not null && (Kind != FixKind.AwaitTwin || plan.TwinTakesToken);
        if (passToken)
            arguments = arguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(plan.Token!))); // a name, or cts.Token

        ExpressionSyntax? callee = Kind == FixKind.Delay
            ? SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, QualifiedName("System.Threading.Tasks.Task", addImport: false), SyntaxFactory.IdentifierName("Delay"))
            : invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.WithName(Rename(access.Name, plan.Name!)),
                SimpleNameSyntax simple => Rename(simple, plan.Name!),
                _ => null,
            };
        if (callee is null)
            return target;
        ExpressionSyntax call = invocation.WithExpression(callee).WithArgumentList(arguments);
        if (Kind == FixKind.Delay && plan.SuppressThrowing && passToken)
        {
            // A cancelled delay ends the wait without throwing; the loop's own check of the token ends the loop. Without
            // ContinueOnCapturedContext it also continues where ConfigureAwait(false) would.
            call = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, call, SyntaxFactory.IdentifierName("ConfigureAwait")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                    QualifiedName("System.Threading.Tasks.ConfigureAwaitOptions.SuppressThrowing", addImport: false)))));
        }

        return Await(call, context.ConfigureAwait, invocation);
    }

    /// <summary>
    /// The arguments the analyzer bound the twin with, when they are not the call's own (<c>in</c> dropped, spans as
    /// memory, a natural value added); qualified names in them are shortened, and imported where needed.
    /// </summary>
    internal static ArgumentListSyntax TwinArguments(ArgumentListSyntax original, FixPlan plan)
    {
        if (plan.Arguments is null)
            return original;
        var parsed = SyntaxFactory.ParseArgumentList(plan.Arguments);
        if (parsed.ContainsDiagnostics)
            return original;
        return parsed.WithArguments(SyntaxFactory.SeparatedList(
                parsed.Arguments.Select(a => a.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)),
                parsed.Arguments.GetSeparators()))
            .WithTriviaFrom(original);
    }

    internal static SimpleNameSyntax Rename(SimpleNameSyntax simple, string name) =>
        (simple is GenericNameSyntax generic
            ? generic.WithIdentifier(SyntaxFactory.Identifier(name))
            : (SimpleNameSyntax)SyntaxFactory.IdentifierName(name)).WithTriviaFrom(simple);
}

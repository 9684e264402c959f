// The pulse survey (comfort, stress, understanding on a 1-5 scale), answered anonymously.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { AnswerSurveyDocument, SurveysDocument, type SurveyQuestion, type SurveysQuery } from '../gql/graphql';
import { formatDay } from '../i18n/format';
import { t } from '../i18n/id';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, RadioGroup, Section, TextArea } from '../ui/components';

type Survey = SurveysQuery['surveys']['edges'][number]['node'];
const SCALE = ['1', '2', '3', '4', '5'].map((value) => ({ value, label: value }));

function SurveyForm({ survey }: { survey: Survey }) {
  const [answers, setAnswers] = useState<Partial<Record<SurveyQuestion, string>>>({});
  const [comment, setComment] = useState('');
  const [state, answer] = useMutation(AnswerSurveyDocument);
  const [problem, setProblem] = useState<string | null>(null);
  const complete = survey.questions.every((q) => answers[q.question]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!complete) {
      setProblem(t.survey.incomplete);
      return;
    }
    const result = await answer({
      input: {
        surveyId: survey.id,
        comfort: Number(answers.COMFORT),
        stress: Number(answers.STRESS),
        understanding: Number(answers.UNDERSTANDING),
        comment: comment.trim(),
      },
    });
    const errors = result.data?.answerSurvey.userErrors ?? [];
    setProblem(result.error || errors.length ? (errors[0]?.message ?? t.common.failed) : null);
  }

  if (survey.answeredByMe) return <Notice tone="ok">{t.survey.thanks}</Notice>;
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      {survey.questions.map((q) => (
        <RadioGroup
          key={q.question}
          legend={q.label}
          hint={t.survey.scale}
          name={`${survey.id}-${q.question}`}
          value={answers[q.question] ?? null}
          options={SCALE}
          onChange={(value) => setAnswers({ ...answers, [q.question]: value })}
        />
      ))}
      <TextArea label={t.survey.comment} hint={t.survey.commentHint} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      {problem ? <Notice tone="error">{problem}</Notice> : null}
      <Button type="submit" busy={state.fetching}>
        {t.survey.submit}
      </Button>
    </form>
  );
}

export function SurveyScreen() {
  const [{ data, error }] = useQuery({ query: SurveysDocument, variables: { first: 10, openOnly: true } });
  return (
    <>
      <PageTitle back="/">{t.survey.title}</PageTitle>
      <p className="muted">{t.survey.intro}</p>
      <QueryError error={error} />
      {!data ? <Loading /> : null}
      {data && data.surveys.edges.length === 0 ? <Empty>{t.survey.none}</Empty> : null}
      {data?.surveys.edges.map(({ node }) => (
        <Section key={node.id} title={node.title}>
          <p className="muted small">
            {t.survey.until(formatDay(node.closesOn))} {node.program ? <Badge tone="neutral">{node.program.name}</Badge> : null}
          </p>
          <SurveyForm survey={node} />
        </Section>
      ))}
    </>
  );
}

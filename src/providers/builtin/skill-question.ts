import type { Language } from '@viva/protocol/interview-schemas.js';
import type { BankQuestion, BankSkill } from './question-bank-types.js';
import { seededPick } from './seeded-random.js';
import { fillTemplate } from './text-tools.js';

type SkillSource = 'both' | 'job_description' | 'resume';

const SKILL_TEMPLATES: Readonly<Record<SkillSource, Readonly<Record<Language, string>>>> = {
  both: {
    en: "I noticed {skill} both in the job description and on your résumé. Tell me about the most demanding thing you've built with it, and what you'd do differently today.",
    zh: '我注意到岗位描述和你的简历里都提到了{skill}。能讲讲你用它做过的最有挑战的一件事吗？如果现在重做，你会有哪些不同的做法？',
  },
  job_description: {
    en: 'This role leans on {skill}. Tell me about a piece of work where you used it in earnest: what problem were you solving, and what did you build?',
    zh: '这个岗位会大量用到{skill}。能讲讲你真正用它做过的一项工作吗？当时要解决什么问题，你具体做了什么？',
  },
  resume: {
    en: 'Your résumé mentions {skill}. Tell me about a project where it played a central part, and what your own contribution was.',
    zh: '你的简历里提到了{skill}。能挑一个它起到关键作用的项目讲讲吗？你自己具体贡献了什么？',
  },
};

/** What a good answer to each template covers, for the scoring guide; `{skill}` is the skill's name. */
const SKILL_POINTS: Readonly<Record<SkillSource, Readonly<Record<Language, readonly string[]>>>> = {
  both: {
    en: ['what they built with {skill}', 'what made it demanding', 'what they would do differently today'],
    zh: ['用{skill}做过的事', '难点在哪里', '现在会怎么改进'],
  },
  job_description: {
    en: ['a piece of work done with {skill}', 'the problem it solved', 'what they built'],
    zh: ['用{skill}做过的一项工作', '要解决的问题', '具体做了什么'],
  },
  resume: {
    en: ['a project where {skill} was central', 'their own contribution'],
    zh: ['{skill}起关键作用的项目', '本人的具体贡献'],
  },
};

const SOURCE_PRIORITY: readonly SkillSource[] = ['both', 'job_description', 'resume'];

/**
 * An experience question about a skill named in the job description and/or the résumé, or undefined
 * when neither names one of the track's skills. Only the skill's name is taken from those texts,
 * never their wording. Skills named in both win, then the job description, then the résumé.
 */
export function buildSkillQuestion(
  skills: readonly BankSkill[],
  jobDescription: string | undefined,
  resumeText: string | undefined,
  seed: string,
): BankQuestion | undefined {
  const bySource = new Map<SkillSource, BankSkill[]>();
  const seen = new Set<string>();
  for (const skill of skills) {
    if (seen.has(skill.name)) continue;
    seen.add(skill.name);
    const inJob = jobDescription !== undefined && skill.pattern.test(jobDescription);
    const inResume = resumeText !== undefined && skill.pattern.test(resumeText);
    const source: SkillSource | undefined = inJob && inResume ? 'both' : inJob ? 'job_description' : inResume ? 'resume' : undefined;
    if (source !== undefined) bySource.set(source, [...(bySource.get(source) ?? []), skill]);
  }
  for (const source of SOURCE_PRIORITY) {
    const skill = seededPick(bySource.get(source) ?? [], `${seed}:skill`);
    if (skill === undefined) continue;
    const templates = SKILL_TEMPLATES[source];
    return {
      id: `skill-${skill.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      stage: 'experience',
      competency: 'project_experience',
      text: {
        en: fillTemplate(templates.en, { skill: skill.name }, 'en'),
        zh: fillTemplate(templates.zh, { skill: skill.name }, 'zh'),
      },
      keywords: [skill.name.toLowerCase()],
      points: {
        en: SKILL_POINTS[source].en.map((point) => fillTemplate(point, { skill: skill.name }, 'en')),
        zh: SKILL_POINTS[source].zh.map((point) => fillTemplate(point, { skill: skill.name }, 'zh')),
      },
    };
  }
  return undefined;
}

import type { Language } from '@viva/protocol/interview-schemas.js';

/**
 * Competencies the banks probe, named in each interview language. Reports group questions by these
 * names, so one key must always produce the same name.
 */
export const COMPETENCY_NAMES = {
  background: { en: 'background and motivation', zh: '背景与求职动机' },
  project_experience: { en: 'project experience', zh: '项目经验' },
  problem_solving: { en: 'problem solving', zh: '问题解决' },
  system_design: { en: 'system design', zh: '系统设计' },
  api_design: { en: 'API design', zh: '接口设计' },
  data_modeling: { en: 'data modeling', zh: '数据建模' },
  performance: { en: 'performance', zh: '性能优化' },
  reliability: { en: 'reliability and operations', zh: '稳定性与运维' },
  distributed_systems: { en: 'distributed systems', zh: '分布式系统' },
  fundamentals: { en: 'technical fundamentals', zh: '技术基础' },
  code_quality: { en: 'code quality and testing', zh: '代码质量与测试' },
  architecture: { en: 'architecture', zh: '架构能力' },
  state_management: { en: 'state management', zh: '状态管理' },
  accessibility: { en: 'accessibility', zh: '无障碍设计' },
  security: { en: 'security', zh: '安全意识' },
  ml_fundamentals: { en: 'machine learning fundamentals', zh: '机器学习基础' },
  modeling: { en: 'modeling', zh: '建模能力' },
  experimentation: { en: 'experimentation and statistics', zh: '实验设计与统计' },
  ml_in_production: { en: 'ML in production', zh: '模型工程化' },
  data_quality: { en: 'data quality', zh: '数据质量' },
  sql_analysis: { en: 'SQL and analysis', zh: 'SQL 与数据分析' },
  product_sense: { en: 'product sense', zh: '产品思维' },
  prioritization: { en: 'prioritization', zh: '优先级判断' },
  metrics: { en: 'metrics and analytics', zh: '数据与指标' },
  discovery: { en: 'customer discovery', zh: '用户洞察' },
  strategy: { en: 'strategy', zh: '战略思考' },
  execution: { en: 'execution', zh: '执行与落地' },
  stakeholder_management: { en: 'stakeholder management', zh: '利益相关方沟通' },
  collaboration: { en: 'collaboration', zh: '团队协作' },
  communication: { en: 'communication', zh: '沟通表达' },
  ownership: { en: 'ownership', zh: '责任担当' },
  growth: { en: 'learning and growth', zh: '学习与成长' },
  leadership: { en: 'leadership', zh: '领导力' },
  judgement: { en: 'judgement', zh: '判断力' },
  role_understanding: { en: 'understanding of the role', zh: '岗位理解' },
  engagement: { en: 'engagement', zh: '参与度' },
} as const satisfies Record<string, Readonly<Record<Language, string>>>;

export type CompetencyKey = keyof typeof COMPETENCY_NAMES;

export function competencyName(key: CompetencyKey, language: Language): string {
  return COMPETENCY_NAMES[key][language];
}

/** A name as a team may write it: any case, spaces or underscores ("System design", "system_design", "系统设计"). */
function comparable(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, ' ');
}

/**
 * The competency keys a template's `focus` names, in its order, in either language or as keys; names the
 * banks do not know are left out (a model-written plan may still use them).
 */
export function focusKeys(focus: readonly string[]): CompetencyKey[] {
  const keys: CompetencyKey[] = [];
  for (const name of focus) {
    const wanted = comparable(name);
    const key = (Object.keys(COMPETENCY_NAMES) as CompetencyKey[]).find(
      (candidate) =>
        comparable(candidate) === wanted || comparable(COMPETENCY_NAMES[candidate].en) === wanted || comparable(COMPETENCY_NAMES[candidate].zh) === wanted,
    );
    if (key !== undefined && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

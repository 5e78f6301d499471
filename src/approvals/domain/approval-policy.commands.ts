/** Input as it arrives from the API edge: amounts are still decimal strings. */
export interface DefineApprovalPolicy {
  type: 'DefineApprovalPolicy';
  book: string;
  policyId: string;
  name: string;
  action: string;
  condition?: { minAmount?: string; currency?: string; accounts?: string[] };
  steps: { role: string; approvals: number }[];
  expiresAfter?: string;
}

export interface RetireApprovalPolicy {
  type: 'RetireApprovalPolicy';
  book: string;
  policyId: string;
  reason?: string;
}

export type ApprovalPolicyCommand = DefineApprovalPolicy | RetireApprovalPolicy;
